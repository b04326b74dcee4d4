import type { CommandSpec } from './table';
import { stringCommands } from './strings';
import { hashCommands } from './hashes';
import { bitmapCommands } from './bitmaps';
import { keyCommands } from './keys';
import { serverCommands } from './server';
import { connectionCommands } from './connection';
import { debugCommands } from './debug';
import { setCommands } from './sets';
import { listCommands } from './lists';
import { zsetCommands } from './zsets';
import { sortCommands } from './sort';
import { pubsubCommands } from './pubsub';
import { transactionCommands } from './transactions';
import { persistenceCommands } from './persistence';
import { functionCommands } from './functions';
import { scriptingCommands } from './scripting';
import { hyperloglogCommands } from './hll';
import { geoCommands } from './geo';
import { streamCommands } from './streams';
import { memoryCommands } from './memory';
import { replicationCommands } from './replication';

/** Every command group, in one list: the command table is built from it. */
export const ALL_COMMANDS: CommandSpec[] = [
  ...stringCommands,
  ...hashCommands,
  ...bitmapCommands,
  ...keyCommands,
  ...serverCommands,
  ...connectionCommands,
  ...debugCommands,
  ...setCommands,
  ...listCommands,
  ...zsetCommands,
  ...sortCommands,
  ...pubsubCommands,
  ...transactionCommands,
  ...persistenceCommands,
  ...functionCommands,
  ...scriptingCommands,
  ...hyperloglogCommands,
  ...geoCommands,
  ...streamCommands,
  ...memoryCommands,
  ...replicationCommands,
];
