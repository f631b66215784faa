import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { hydrationAware } from './hydration';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOTS = path.join(ROOT, 'artifacts/screenshots');
const CHROMIUM = '/usr/bin/chromium';

/** CI builds first (`npm run build`); a local run without a build makes one. */
export function ensureBuilt(): void {
  if (existsSync(path.join(ROOT, 'build/index.js'))) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ServerProcess {
  /** The URL the server printed ("Serving on ..."). */
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code (SIGKILL after 20 s, then null). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `npx tsx <script>` (tsx's binary directly, so that a signal reaches the server and the
 * exit code is the server's own, not npm's) and waits until it prints the URL it serves on.
 */
export async function startServer({
  script,
  env,
  // A first start on a busy machine (other test runs, a benchmark) can take minutes.
  timeoutMs = 480_000,
}: {
  script: string;
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Nobody else holds the child yet: stop it here, or it outlives the test run.
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    const check = () => {
      const match = /Serving on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code} before serving:\n${output}`));
    });
  });

  return { url, output: () => output, stop: (signal = 'SIGTERM') => stopProcess(child, exited, signal) };
}

async function stopProcess(
  child: ChildProcess,
  exited: Promise<number | null>,
  signal: NodeJS.Signals,
): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Debian's Chromium, headless (.ci/run installs it). Its pages wait for React's hydration after
 * every navigation (./hydration.ts), so no click is lost on server-rendered HTML.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  return hydrationAware(browser);
}
