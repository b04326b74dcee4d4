import type { CommandSpec } from './table';

export const hyperloglogCommands: CommandSpec[] = [];
