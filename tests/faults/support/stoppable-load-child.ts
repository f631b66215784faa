import { openWarehouse } from '../../../db/connection';
import { loadFolder } from '../../../etl/load/load-folder';
import { type LoadPhase, phasedWarehouse } from './phased-warehouse';

/**
 * A load in a process of its own that stops dead at a given point of its transaction, for a test
 * to SIGKILL: `tsx stoppable-load-child.ts <database url> <folder> <pseudonym key> <phase> <n>`
 * loads the folder and, once the n-th operation of <phase> has completed, prints
 * "stopped <phase> <n>" and blocks (no event loop, no timers) until it is killed.
 */
const [databaseUrl, folder, pseudonymKey, stopPhase, stopCount] = process.argv.slice(2) as [
  string,
  string,
  string,
  LoadPhase,
  string,
];

const warehouse = await openWarehouse({ databaseUrl, dataDir: '', poolMax: 2 });
const phased = phasedWarehouse(warehouse, (phase, count) => {
  if (phase !== stopPhase || count !== Number(stopCount)) return;
  // Writes to a pipe are synchronous on Linux, so the parent reads this before the block.
  process.stdout.write(`stopped ${phase} ${count}\n`);
  // Blocks without spinning; the transaction stays open on the server, uncommitted.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});
await loadFolder({ warehouse: phased.warehouse, folder, pseudonymKey, onProgress: phased.onProgress });
process.stdout.write('finished\n');
await warehouse.close();
