import type { Client } from '../client';

/**
 * One command's metadata, carried once: dispatch, COMMAND INFO/DOCS, HELP, hints and
 * completion all read it from here.
 */
export interface CommandSpec {
  /** Lower-case name; for a subcommand, just its own name ("id" under "client"). */
  name: string;
  /** Redis arity: N = exactly N args (name included), -N = at least N. */
  arity: number;
  /** Redis command flags, space separated: write readonly denyoom admin pubsub noscript blocking
   *  loading stale skip_monitor skip_slowlog fast no_auth may_replicate sentinel no_mandatory_keys
   *  no_multi movablekeys allow_busy */
  flags: string;
  /** Legacy key spec: first key index, last (-1 = last arg, -2 = second to last), step. */
  keys?: [number, number, number];
  /** Command group as Redis names them: string bitmap generic server connection list hash set
   *  sorted-set hyperloglog geo stream pubsub transactions scripting */
  group: string;
  /** Redis version that introduced it. */
  since: string;
  /** One line, in our own words. */
  summary: string;
  /** Time complexity, in our words. */
  complexity?: string;
  /** Argument grammar after the name, redis-cli style: "key value [NX|XX] [EX seconds|PX milliseconds]". */
  syntax?: string;
  /** The implementation. Absent for container commands (they only have subcommands). */
  handler?: (c: Client, argv: string[]) => void;
  /** Subcommands of a container command (CLIENT, CONFIG, OBJECT, ...). */
  subcommands?: CommandSpec[];
  /** ACL categories Redis lists beyond those implied by flags and group, e.g. "@keyspace @dangerous";
   *  "-@keyspace" drops one the group implies (COMMAND INFO; see commands/server.ts). */
  acl?: string;
  /** Redis's command tips, space separated: "nondeterministic_output request_policy:all_shards". */
  tips?: string;
  /** For movablekeys commands: the key positions in argv, or null when the arguments are invalid
   *  (COMMAND GETKEYS; the `keys` range is used otherwise). */
  getKeys?: (argv: string[]) => number[] | null;
}

/** A resolved command with its parent (for subcommands) and parsed flags. */
export interface Command {
  spec: CommandSpec;
  /** "get", or "client|id" for subcommands (Redis's fullname). */
  fullname: string;
  parent: Command | null;
  flags: Set<string>;
  subcommands: Map<string, Command> | null;
  /** Counters for INFO commandstats. */
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

export class CommandTable {
  readonly commands = new Map<string, Command>();

  constructor(specs: readonly CommandSpec[]) {
    for (const spec of specs) this.add(spec, null);
  }

  private add(spec: CommandSpec, parent: Command | null): Command {
    const cmd: Command = {
      spec,
      fullname: parent ? parent.fullname + '|' + spec.name : spec.name,
      parent,
      flags: new Set(spec.flags.split(' ').filter(Boolean)),
      subcommands: null,
      calls: 0,
      usec: 0,
      rejectedCalls: 0,
      failedCalls: 0,
    };
    if (spec.subcommands) {
      cmd.subcommands = new Map();
      for (const sub of spec.subcommands) cmd.subcommands.set(sub.name, this.add(sub, cmd));
    }
    if (!parent) {
      if (this.commands.has(spec.name)) throw new Error('duplicate command ' + spec.name);
      this.commands.set(spec.name, cmd);
    }
    return cmd;
  }

  /** lookupCommand by lower-case name (and subcommand name, for containers). */
  get(name: string): Command | undefined {
    return this.commands.get(name);
  }

  /** Every command and subcommand, parents first. */
  *all(): Iterable<Command> {
    for (const c of this.commands.values()) {
      yield c;
      if (c.subcommands) yield* c.subcommands.values();
    }
  }
}
