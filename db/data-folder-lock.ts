import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';

/**
 * Embedded Postgres (PGlite) runs inside one process and has no lock of its own: a second process
 * opening the same folder (say `npm run etl -- load` while `npm start` serves) would corrupt it.
 * So the folder is locked while it is open: a lock directory next to it that proper-lockfile holds, and a small owner file that says
 * which process holds it, so the refusal can name it and a dead owner's lock is taken over at once.
 */
export class DataFolderInUse extends Error {
  override name = 'DataFolderInUse';
  constructor(
    readonly folder: string,
    readonly ownerPid: number | null,
  ) {
    const owner = ownerPid === process.pid ? 'this same process' : `another process (pid ${ownerPid ?? 'unknown'})`;
    super(
      `the embedded warehouse at ${folder} is in use by ${owner}; stop it first (embedded Postgres serves one process), or set DATABASE_URL to share a Postgres server`,
    );
  }
}

interface Owner {
  pid: number;
  host: string;
  since: string;
}

/**
 * Never stale by age: a dead owner is recognised by its pid below instead. With proper-lockfile's
 * 10 s default, a process whose event loop was busy for 10 s (PGlite's start is seconds of
 * blocking WebAssembly on a loaded machine) lost its lock to the next process, and two processes
 * had the folder open (seen in CI's two-loads test).
 */
const STALE_MS = 24 * 60 * 60 * 1000;

/** Locks `folder` for this process; resolves with the function that releases it. */
export async function lockDataFolder(folder: string): Promise<() => Promise<void>> {
  const lockPath = `${folder}.lock`;
  const ownerPath = `${folder}.owner.json`;
  const attempt = () =>
    lockfile.lock(folder, {
      realpath: false,
      lockfilePath: lockPath,
      stale: STALE_MS,
      retries: 0,
      // The lock could not be kept fresh (the disk stalled for 10 s): say so rather than crash the server.
      onCompromised: (error) => console.error(`warehouse: the lock on ${folder} was lost: ${error.message}`),
    });

  let release: () => Promise<void>;
  try {
    release = await attempt();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    const owner = readOwner(ownerPath);
    if (!owner || owner.host !== hostname() || isAlive(owner.pid))
      throw new DataFolderInUse(folder, owner?.pid ?? null);
    // The owner died without releasing (SIGKILL, power loss): its lock is ours to take now.
    rmSync(lockPath, { recursive: true, force: true });
    release = await attempt();
  }
  const owner: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  writeFileSync(ownerPath, `${JSON.stringify(owner)}\n`);
  return async () => {
    // The lock first, then the owner file (if still ours): a process that dies in between (a
    // signal as it closes) leaves an owner file naming a dead pid, which the next process sees
    // through. The other order could leave a lock with no owner, refused as "pid unknown" for a day.
    await release();
    if (readOwner(ownerPath)?.pid === process.pid) rmSync(ownerPath, { force: true });
  };
}

function readOwner(ownerPath: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(ownerPath, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as Owner) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as { code?: string }).code === 'EPERM';
  }
}
