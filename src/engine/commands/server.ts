import type { CommandSpec } from './table';

export const serverCommands: CommandSpec[] = [];
