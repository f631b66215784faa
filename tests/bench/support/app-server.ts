import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createHttpAccount, HTTP_ACCOUNT, signInOverHttp } from '../../support/http-sign-in';
import { BENCH_PSEUDONYM_KEY } from './data';
import { adminQuery, ROOT, run } from './processes';

export interface BenchServer {
  url: string;
  /** Headers that make a request signed in (a session cookie). */
  headers: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The built app (built afresh), served as `npm start` serves it, on a
 * free loopback port over the warehouse at `databaseUrl`, and signed in as an admin (the role that may open every page).
 */
export async function startBenchServer(databaseUrl: string): Promise<BenchServer> {
  // Always build: a build left by `npm run dev` or by older sources would measure the wrong app.
  await run(process.execPath, [path.join(ROOT, 'node_modules/@remix-run/dev/dist/cli.js'), 'build'], {
    NODE_ENV: 'production',
  });
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    PSEUDONYM_KEY: BENCH_PSEUDONYM_KEY,
    SESSION_SECRET: randomBytes(32).toString('hex'),
  };
  createHttpAccount(env);
  // Kept warehouses may hold the account from older runs, made with a narrower role.
  await adminQuery(databaseUrl, `update account set role = 'admin', locations = null where email = $1`, [
    HTTP_ACCOUNT.email,
  ]);
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['app/server/serve.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = (await servingUrl(child)).replace('localhost', '127.0.0.1');
  return {
    url,
    headers: await signInOverHttp(url),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

function servingUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the app did not start:\n${output}`)), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Serving on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the app exited (${code}):\n${output}`)));
  });
}
