import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { lockDataFolder } from '../../db/data-folder-lock';
import { runTsx } from '../support/run-tsx';

/**
 * The embedded warehouse folder's lock outlives no process. A process that dies while giving the
 * lock back (a signal as the ETL closes the warehouse) must not leave the folder refused to every
 * process after it as "in use by another process (pid unknown)".
 */
let parent: string;
beforeAll(() => {
  parent = mkdtempSync(path.join(tmpdir(), 'data-folder-lock-'));
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

test('a process killed while unlocking leaves the folder free for the next', async () => {
  const folder = path.join(parent, 'pglite');
  // One libuv thread, kept busy by a long key derivation: the lock directory's removal (an
  // asynchronous rmdir) waits behind it, so the process dies with the unlock half done.
  const script = `
    import { pbkdf2 } from 'node:crypto';
    import { lockDataFolder } from './db/data-folder-lock.ts';
    const unlock = await lockDataFolder(${JSON.stringify(folder)});
    pbkdf2('busy', 'thread', 5_000_000, 64, 'sha512', () => undefined);
    void unlock();
    setImmediate(() => process.kill(process.pid, 'SIGKILL'));`;
  const child = await runTsx(['--input-type=module', '--eval', script], { UV_THREADPOOL_SIZE: '1' });
  expect(child.code, child.output).toBe(null);

  const unlock = await lockDataFolder(folder);
  await unlock();
});
