import { startServer } from './server';

/**
 * `npm run server -- --port 6380 --requirepass secret --hz 100`
 * Options are redis-server's: `--name value...` with the same names as CONFIG SET.
 */
export function parseArgs(args: string[]): Record<string, string> {
  const config: Record<string, string> = {};
  let i = 0;
  while (i < args.length) {
    const a = args[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}' (options look like --port 6380)`);
    const name = a.slice(2);
    const values: string[] = [];
    i++;
    while (i < args.length && !args[i].startsWith('--')) values.push(args[i++]);
    // Like redis-server: several values join with spaces (--save 900 1 300 10); none means "".
    config[name] = values.join(' ');
  }
  return config;
}

async function main(): Promise<void> {
  let config: Record<string, string>;
  try {
    config = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  let server;
  try {
    server = await startServer({ config });
  } catch (e) {
    console.error(`Could not start: ${(e as Error).message}`);
    process.exit(1);
  }
  console.log(`Redis playground engine ready to accept connections on ${server.host}:${server.port}`);
  const stop = async (): Promise<void> => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
