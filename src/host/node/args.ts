import { Config } from '../../engine/config';
import { splitArgs } from '../../engine/util/splitargs';
import { REDIS_VERSION } from '../../engine/version';

/** A command line the server cannot start with; the message says why. */
export class ArgsError extends Error {}

export type CommandLine =
  | { action: 'run'; config: Record<string, string> }
  | { action: 'version' }
  | { action: 'help' };

export const USAGE = `Usage: npm run server -- [--name value ...]
       npm run server -- -v | --version | -h | --help

Options are redis-server's configuration parameters, with the names CONFIG SET takes:
  npm run server -- --port 6380
  npm run server -- --port 7777 --requirepass secret --hz 100
  npm run server -- --save 900 1 300 10 --maxmemory 100mb --maxmemory-policy allkeys-lru`;

export function versionLine(): string {
  return `Redis server v=${REDIS_VERSION} (redis-playground engine, Node ${process.version})`;
}

/**
 * redis-server's command line: `--name value...` pairs, read the way redis-server reads them
 * (an option's first value may itself start with "--", `--save` alone means no snapshots, "--port 6380"
 * may come as one argument), then checked: unknown names, wrong numbers of values and bad values
 * are errors, each with its reason. Config files and stdin are not supported.
 */
export function parseCommandLine(args: readonly string[]): CommandLine {
  if (args.length > 0) {
    if (args[0] === '-v' || args[0] === '--version') return { action: 'version' };
    if (args[0] === '-h' || args[0] === '--help') return { action: 'help' };
    if (args[0] === '-') throw new ArgsError('reading the configuration from stdin is not supported');
    if (!args[0].startsWith('-')) {
      throw new ArgsError(`config files are not supported ('${args[0]}'): give options as --name value`);
    }
  }
  const options: { name: string; values: string[] }[] = [];
  // Whether the last option got a value: only then does a "--word" start a new option.
  let lastHasValue = true;
  for (let j = 0; j < args.length; j++) {
    const a = args[j];
    if (lastHasValue && a.startsWith('--')) {
      const words = splitArgs(a);
      if (words === null) throw new ArgsError(`unbalanced quotes in '${a}'`);
      const name = (words[0] ?? '--').slice(2);
      const opt = { name, values: words.slice(1) };
      options.push(opt);
      lastHasValue = opt.values.length > 0;
      if (!lastHasValue && name.toLowerCase() === 'save' && (j === args.length - 1 || args[j + 1].startsWith('--'))) {
        // `--save` with nothing after it (or before the next option) is `--save ""`: no snapshots.
        opt.values.push('');
        lastHasValue = true;
      }
    } else if (options.length === 0) {
      throw new ArgsError(`unexpected argument '${a}': options look like --port 6380`);
    } else {
      options[options.length - 1].values.push(a);
      lastHasValue = true;
    }
  }

  const check = new Config();
  const config: Record<string, string> = {};
  for (const { name, values } of options) {
    const shown = `--${name}${values.map((v) => ' ' + JSON.stringify(v)).join('')}`;
    const param = Config.param(name);
    if (!param) throw new ArgsError(`${shown}: unknown option (the names are redis-server's configuration parameters)`);
    if (values.length === 0) throw new ArgsError(`--${name}: missing value`);
    if (!param.multiArg && values.length !== 1) throw new ArgsError(`${shown}: wrong number of arguments (one value expected)`);
    const value = values.join(' ');
    const err = check.set(name, value, true);
    if (err) throw new ArgsError(`${shown}: ${err}`);
    // The same option twice: the last one wins, as when redis-server reads its config lines in
    // order; multi-argument ones (save, client-output-buffer-limit) accumulate.
    const prev = Object.keys(config).find((k) => Config.param(k) === param);
    if (prev !== undefined) {
      const joined = param.multiArg ? (config[prev] + ' ' + value).trim() : value;
      delete config[prev];
      config[name] = joined;
    } else {
      config[name] = value;
    }
  }
  return { action: 'run', config };
}

/** The configuration a command line asks for (throws ArgsError). */
export function parseArgs(args: readonly string[]): Record<string, string> {
  const r = parseCommandLine(args);
  return r.action === 'run' ? r.config : {};
}
