import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs, parseCommandLine } from '../../src/host/node/args';

const fails = (args: string[]): string => {
  try {
    parseArgs(args);
  } catch (e) {
    expect(e).toBeInstanceOf(ArgsError);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(args)} was accepted`);
};

describe('Node server command line (redis-server style)', () => {
  it('takes --name value pairs', () => {
    expect(parseArgs([])).toEqual({});
    expect(parseArgs(['--port', '6380', '--requirepass', 'x', '--hz', '100'])).toEqual({ port: '6380', requirepass: 'x', hz: '100' });
  });

  it('joins the values of multi-argument options', () => {
    expect(parseArgs(['--save', '900', '1', '300', '10', '--port', '1'])).toEqual({ save: '900 1 300 10', port: '1' });
    expect(parseArgs(['--client-output-buffer-limit', 'normal', '0', '0', '0'])).toEqual({ 'client-output-buffer-limit': 'normal 0 0 0' });
  });

  it('`--save` without a value means no snapshots, as in redis-server', () => {
    expect(parseArgs(['--save'])).toEqual({ save: '' });
    expect(parseArgs(['--save', '--port', '1'])).toEqual({ save: '', port: '1' });
    expect(parseArgs(['--save', ''])).toEqual({ save: '' });
  });

  it('an option\'s first value may start with "--"; an option and its value may come as one argument', () => {
    expect(parseArgs(['--requirepass', '--secret', '--port', '7'])).toEqual({ requirepass: '--secret', port: '7' });
    expect(parseArgs(['--port 6380', '--requirepass', 'a b'])).toEqual({ port: '6380', requirepass: 'a b' });
  });

  it('names are case-insensitive and aliases work; a repeated option: the last wins', () => {
    expect(parseArgs(['--PORT', '5'])).toEqual({ PORT: '5' });
    expect(parseArgs(['--port', '5', '--port', '6'])).toEqual({ port: '6' });
    expect(parseArgs(['--save', '900', '1', '--save', '300', '10'])).toEqual({ save: '900 1 300 10' });
    expect(Object.values(parseArgs(['--slaveof', 'no', 'one']))).toEqual(['no one']);
  });

  it('-v / --version and -h / --help', () => {
    expect(parseCommandLine(['-v'])).toEqual({ action: 'version' });
    expect(parseCommandLine(['--version'])).toEqual({ action: 'version' });
    expect(parseCommandLine(['-h'])).toEqual({ action: 'help' });
    expect(parseCommandLine(['--help'])).toEqual({ action: 'help' });
  });

  it('rejects unknown options with the reason', () => {
    expect(fails(['--nosuch', '1'])).toBe('--nosuch "1": unknown option (the names are redis-server\'s configuration parameters)');
    expect(fails(['--port', '1', '--', 'x'])).toMatch(/^-- "x": unknown option/);
  });

  it('rejects bad values with the configuration\'s own error text', () => {
    expect(fails(['--port', 'abc'])).toBe('--port "abc": argument couldn\'t be parsed into an integer');
    expect(fails(['--port', '70000'])).toMatch(/^--port "70000": argument must be between 0 and 65535/);
    expect(fails(['--maxmemory-policy', 'sometimes'])).toMatch(/^--maxmemory-policy "sometimes": argument\(s\) must be one of the following/);
    expect(fails(['--appendonly', 'maybe'])).toMatch(/^--appendonly "maybe": argument must be 'yes' or 'no'/);
  });

  it('rejects a wrong number of values', () => {
    expect(fails(['--port'])).toBe('--port: missing value');
    expect(fails(['--port', '1', '2'])).toBe('--port "1" "2": wrong number of arguments (one value expected)');
    expect(fails(['--requirepass', 'a', 'b'])).toMatch(/wrong number of arguments/);
  });

  it('rejects config files, stdin, stray words and bad quoting', () => {
    expect(fails(['redis.conf'])).toMatch(/^config files are not supported/);
    expect(fails(['-'])).toMatch(/stdin is not supported/);
    expect(fails(['-x'])).toMatch(/^unexpected argument '-x'/);
    expect(fails(['--port "1'])).toMatch(/^unbalanced quotes/);
  });
});
