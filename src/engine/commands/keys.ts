import type { CommandSpec } from './table';

export const keyCommands: CommandSpec[] = [];
