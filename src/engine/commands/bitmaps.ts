import type { CommandSpec } from './table';

export const bitmapCommands: CommandSpec[] = [];
