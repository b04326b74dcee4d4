import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from './server';
import { ArgsError, USAGE, parseCommandLine, versionLine, type CommandLine } from './args';

export { parseArgs, parseCommandLine, ArgsError } from './args';

/**
 * `npm run server -- --port 6380 --requirepass secret --hz 100`
 * Options are redis-server's: `--name value...` with the same names as CONFIG SET. A bad command
 * line stops the server before it starts, with the reason and exit code 1, as redis-server does.
 */
async function main(): Promise<void> {
  let cli: CommandLine;
  try {
    cli = parseCommandLine(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof ArgsError)) throw e;
    console.error(`*** FATAL: bad command line ***\n${e.message}\n\n${USAGE}`);
    process.exit(1);
  }
  if (cli.action === 'version') {
    console.log(versionLine());
    return;
  }
  if (cli.action === 'help') {
    console.log(USAGE);
    return;
  }
  let server;
  try {
    // SHUTDOWN: the engine saved what it had to and stopped listening; the process ends, as redis-server's.
    server = await startServer({
      config: cli.config,
      onShutdown: () => process.exit(0),
      engine: { log: (line) => console.log(line) },
      // As redis-server logs it at start-up.
      onLoaded: (r) => {
        if (r.source === 'aof') console.log(`DB loaded from append only file: ${r.keys} keys`);
        else if (r.source === 'rdb') console.log(`DB loaded from disk: ${r.keys} keys`);
      },
    });
  } catch (e) {
    console.error(`*** FATAL: could not start: ${(e as Error).message}`);
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

// Run only when started as a program (importing this module, e.g. in a test, starts nothing).
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) void main();
