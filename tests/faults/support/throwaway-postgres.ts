import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';

/** Whether this machine can run a throwaway server: PostgreSQL 15's binaries, and root to become postgres. */
export const canRunThrowawayPostgres = process.getuid?.() === 0 && existsExecutable(`${BIN}/initdb`);

export interface ThrowawayPostgres {
  url: (database: string) => string;
  start(): void;
  stop(): void;
  remove(): void;
}

/**
 * A Postgres server of the test's own, never the machine's shared one: initdb into a temporary
 * folder owned by the postgres user (initdb refuses root), its own port, its socket in that folder,
 * and pg_ctl to stop and start it.
 */
export function createThrowawayPostgres(port: number): ThrowawayPostgres {
  const folder = mkdtempSync(path.join(tmpdir(), 'therapy-outcomes-pg-'));
  const idOf = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  chownSync(folder, idOf('-u'), idOf('-g'));
  const data = path.join(folder, 'data');
  const asPostgres = (command: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', `${BIN}/${command}`, ...args], { stdio: 'pipe', timeout: 60_000 });
  asPostgres('initdb', ['-D', data, '--auth=trust', '--username=postgres', '--no-sync', '--encoding=UTF8']);
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const server: ThrowawayPostgres = {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: () =>
      asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', path.join(folder, 'server.log'), '-w', 'start']),
    stop: () => asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    remove() {
      try {
        server.stop();
      } catch {
        // Already stopped.
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return server;
}

function existsExecutable(file: string): boolean {
  try {
    execFileSync('test', ['-x', file]);
    return true;
  } catch {
    return false;
  }
}
