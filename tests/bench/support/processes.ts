import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs a command in the repository; resolves with its output, rejects with its tail on failure. */
export function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`)),
    );
    child.stdin.end(input ?? '');
  });
}

/** `node --import tsx <script> ...` in the repository. */
export function runTs(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<string> {
  return run(process.execPath, ['--import', 'tsx', script, ...args], env, input);
}

export function psql(url: string, command: string): Promise<string> {
  return run('psql', ['--quiet', '--no-psqlrc', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', command]);
}

export async function adminQuery<Row = Record<string, unknown>>(
  serverUrl: string,
  text: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
