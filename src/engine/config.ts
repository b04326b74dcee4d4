import { notifyFlagsFromString, notifyFlagsToString } from './notify';
import { string2ll } from './util/numbers';

/**
 * Server configuration: one registry of parameters with Redis's names, aliases, types,
 * defaults and limits. CONFIG GET/SET, the Node command line and INFO all read it.
 */
type ParamType = 'bool' | 'int' | 'memory' | 'enum' | 'string' | 'special';

export interface ConfigParam {
  name: string;
  alias?: string;
  type: ParamType;
  default: string;
  min?: number;
  max?: number;
  /** enum values, lower-case */
  values?: string[];
  /** Cannot change at runtime (CONFIG SET refuses it). */
  immutable?: boolean;
  /** For 'special' params: parse text into the stored value, or return an error text. */
  parse?: (text: string) => { value: unknown } | { error: string };
  /** For 'special' params: the stored value as CONFIG GET prints it. */
  format?: (value: unknown) => string;
}

const MB = 1024 * 1024;

export const CONFIG_PARAMS: ConfigParam[] = [
  { name: 'port', type: 'int', default: '6379', min: 0, max: 65535 },
  { name: 'bind', type: 'string', default: '127.0.0.1' },
  { name: 'databases', type: 'int', default: '16', min: 1, max: 2147483647, immutable: true },
  { name: 'requirepass', type: 'string', default: '' },
  { name: 'hz', type: 'int', default: '10', min: 0, max: 2147483647 },
  { name: 'timeout', type: 'int', default: '0', min: 0, max: 2147483647 },
  { name: 'maxclients', type: 'int', default: '10000', min: 1, max: 2147483647 },
  { name: 'proto-max-bulk-len', type: 'memory', default: '536870912', min: 1 * MB, max: Number.MAX_SAFE_INTEGER },
  { name: 'client-query-buffer-limit', type: 'memory', default: '1073741824', min: 1 * MB, max: Number.MAX_SAFE_INTEGER },
  { name: 'enable-debug-command', type: 'enum', default: 'no', values: ['no', 'yes', 'local'], immutable: true },
  { name: 'active-expire-effort', type: 'int', default: '1', min: 1, max: 10 },
  {
    name: 'notify-keyspace-events', type: 'special', default: '',
    parse: (text) => {
      const flags = notifyFlagsFromString(text);
      return flags < 0 ? { error: 'Invalid event class character. Use \'Ag$lshzxeKEtmd\'.' } : { value: flags };
    },
    format: (v) => notifyFlagsToString(v as number),
  },
  { name: 'maxmemory', type: 'memory', default: '0', min: 0, max: Number.MAX_SAFE_INTEGER },
  {
    name: 'maxmemory-policy', type: 'enum', default: 'noeviction',
    values: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'],
  },
  { name: 'maxmemory-samples', type: 'int', default: '5', min: 1, max: 2147483647 },
  { name: 'maxmemory-eviction-tenacity', type: 'int', default: '10', min: 0, max: 100 },
  { name: 'lfu-log-factor', type: 'int', default: '10', min: 0, max: 2147483647 },
  { name: 'lfu-decay-time', type: 'int', default: '1', min: 0, max: 2147483647 },
  { name: 'busy-reply-threshold', alias: 'lua-time-limit', type: 'int', default: '5000', min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'slowlog-log-slower-than', type: 'int', default: '10000', min: -1, max: Number.MAX_SAFE_INTEGER },
  { name: 'slowlog-max-len', type: 'int', default: '128', min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'loglevel', type: 'enum', default: 'notice', values: ['debug', 'verbose', 'notice', 'warning'] },
  { name: 'save', type: 'string', default: '3600 1 300 100 60 10000' },
  { name: 'appendonly', type: 'bool', default: 'no' },
  { name: 'appendfsync', type: 'enum', default: 'everysec', values: ['always', 'everysec', 'no'] },
  { name: 'dir', type: 'string', default: '.' },
  { name: 'dbfilename', type: 'string', default: 'dump.rdb' },
  { name: 'appendfilename', type: 'string', default: 'appendonly.aof', immutable: true },
  { name: 'appenddirname', type: 'string', default: 'appendonlydir', immutable: true },
  { name: 'list-max-listpack-size', alias: 'list-max-ziplist-size', type: 'int', default: '-2', min: -5, max: 2147483647 },
  { name: 'hash-max-listpack-entries', alias: 'hash-max-ziplist-entries', type: 'int', default: '128', min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'hash-max-listpack-value', alias: 'hash-max-ziplist-value', type: 'int', default: '64', min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'set-max-intset-entries', type: 'int', default: '512', min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'zset-max-listpack-entries', alias: 'zset-max-ziplist-entries', type: 'int', default: '128', min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'zset-max-listpack-value', alias: 'zset-max-ziplist-value', type: 'int', default: '64', min: 0, max: Number.MAX_SAFE_INTEGER },
];

const BY_NAME = new Map<string, ConfigParam>();
for (const p of CONFIG_PARAMS) {
  BY_NAME.set(p.name, p);
  if (p.alias) BY_NAME.set(p.alias, p);
}

/** memtoull: "1gb", "100mb", "10k", "512" → bytes; null when not a memory value. */
export function parseMemory(text: string): number | null {
  const m = /^(-?\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(text);
  if (!m) return null;
  const units: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: MB, g: 1e9, gb: 1024 * MB };
  const n = Number(m[1]);
  return n * (m[2] ? units[m[2].toLowerCase()] : 1);
}

export class Config {
  private readonly values = new Map<string, unknown>();
  /** Called after a parameter changes (the engine reacts to hz, requirepass, ...). */
  onChange: ((name: string) => void) | null = null;

  constructor(initial: Record<string, string> = {}) {
    for (const p of CONFIG_PARAMS) {
      const r = this.parse(p, p.default);
      if ('error' in r) throw new Error(`bad default for ${p.name}: ${r.error}`);
      this.values.set(p.name, r.value);
    }
    for (const [k, v] of Object.entries(initial)) {
      const err = this.set(k, v, true);
      if (err) throw new Error(`config '${k}': ${err}`);
    }
  }

  static param(name: string): ConfigParam | undefined {
    return BY_NAME.get(name.toLowerCase());
  }

  /** A numeric parameter's value. */
  num(name: string): number {
    return this.values.get(name) as number;
  }
  bool(name: string): boolean {
    return this.values.get(name) as boolean;
  }
  str(name: string): string {
    return this.values.get(name) as string;
  }
  raw(name: string): unknown {
    return this.values.get(name);
  }

  /** The value as CONFIG GET prints it. */
  get(name: string): string {
    const p = BY_NAME.get(name)!;
    const v = this.values.get(p.name);
    switch (p.type) {
      case 'bool': return v ? 'yes' : 'no';
      case 'int': case 'memory': return String(v);
      case 'special': return p.format!(v);
      default: return v as string;
    }
  }

  /** Parse text for param p, checking its limits: the value or Redis's error text. */
  parse(p: ConfigParam, text: string): { value: unknown } | { error: string } {
    switch (p.type) {
      case 'bool': {
        const t = text.toLowerCase();
        if (t === 'yes') return { value: true };
        if (t === 'no') return { value: false };
        return { error: "argument must be 'yes' or 'no'" };
      }
      case 'int': {
        const n = string2ll(text);
        if (n === null) return { error: "argument couldn't be parsed into an integer" };
        if (n < p.min! || n > p.max!) return { error: `argument must be between ${p.min} and ${p.max} inclusive` };
        return { value: Number(n) };
      }
      case 'memory': {
        const n = parseMemory(text);
        if (n === null) return { error: 'argument must be a memory value' };
        if (n < p.min! || n > p.max!) return { error: `argument must be between ${p.min} and ${p.max} inclusive` };
        return { value: n };
      }
      case 'enum': {
        const t = text.toLowerCase();
        if (!p.values!.includes(t)) return { error: `argument(s) must be one of the following: ${p.values!.join(', ')}` };
        return { value: t };
      }
      case 'string':
        return { value: text };
      case 'special':
        return p.parse!(text);
    }
  }

  /** Set a parameter; returns Redis's error text or null. `startup` allows immutable ones. */
  set(name: string, text: string, startup = false): string | null {
    const p = BY_NAME.get(name.toLowerCase());
    if (!p) return 'unknown parameter';
    if (p.immutable && !startup) return "can't set immutable config";
    const r = this.parse(p, text);
    if ('error' in r) return r.error;
    this.values.set(p.name, r.value);
    if (this.onChange) this.onChange(p.name);
    return null;
  }
}
