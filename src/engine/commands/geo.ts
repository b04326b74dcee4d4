import type { CommandSpec } from './table';

export const geoCommands: CommandSpec[] = [];
