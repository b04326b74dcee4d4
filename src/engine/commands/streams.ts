import type { CommandSpec } from './table';

export const streamCommands: CommandSpec[] = [];
