/* eslint-disable no-restricted-imports -- app/server/ is the Node process around the Remix build (npm start, npm run dev); the browser bundle never includes it */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { readDatabaseConfig } from '../../db/config';
import { assertProductionSecrets, readSecurityConfig } from '../utils/security-config.server';
import { closeOnShutdown, fail } from './lifecycle';
import { openPreparedWarehouse } from './prepare-warehouse';
import { importServerBuild, readServerConfig, ROOT, serveApp } from './serve';

/**
 * `npm start`: one process that builds the app, opens the warehouse once (migrations, and demo
 * data on a first embedded run), then serves http://localhost:PORT until SIGINT or SIGTERM.
 */
async function main() {
  // Whoever runs the app asked for production: then secrets must come from the environment.
  if (process.env.NODE_ENV === 'production') assertProductionSecrets();
  // Set before the server build (and React with it) is imported: production React and Remix.
  process.env.NODE_ENV ??= 'production';
  const { port, host } = readServerConfig();
  const security = readSecurityConfig({ databaseConfig: readDatabaseConfig() });

  // Always build. It takes ~4 s, and it is the only way to be sure the build matches the
  // sources: `npm run dev` leaves a development build in the same folder, and an mtime check
  // would have to know every file the bundle pulls in from db/ and node_modules.
  await buildApp();

  const warehouse = await openPreparedWarehouse();
  closeOnShutdown('warehouse', () => warehouse.close());

  const server = await serveApp({ warehouse, security, build: await importServerBuild(), port, host });
  closeOnShutdown('server', () => server.close());
  console.log(`Serving on ${server.url} (Ctrl-C to stop)`);
}

async function buildApp(): Promise<void> {
  console.log('build: remix build');
  const remixCli = path.join(ROOT, 'node_modules/@remix-run/dev/dist/cli.js');
  const child = spawn(process.execPath, [remixCli, 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    // The classic compiler loads Vite's CJS entry, which warns on every build; not ours to fix.
    env: { ...process.env, NODE_ENV: 'production', VITE_CJS_IGNORE_WARNING: 'true' },
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`remix build failed (exit code ${code})`);
}

main().catch(fail);
