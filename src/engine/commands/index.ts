import type { CommandSpec } from './table';
import { stringCommands } from './strings';
import { bitmapCommands } from './bitmaps';
import { keyCommands } from './keys';
import { serverCommands } from './server';
import { connectionCommands } from './connection';
import { debugCommands } from './debug';

/** Every command group, in one list: the command table is built from it. */
export const ALL_COMMANDS: CommandSpec[] = [
  ...stringCommands,
  ...bitmapCommands,
  ...keyCommands,
  ...serverCommands,
  ...connectionCommands,
  ...debugCommands,
];
