/**
 * Process life of the server: resources close on SIGINT/SIGTERM in the reverse order they were
 * opened (the HTTP server before the warehouse it uses), and start-up failures end the process
 * with one line, not a stack trace.
 */

const resources: Array<{ name: string; close: () => Promise<void> }> = [];
let shuttingDown = false;

/** How long closing may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

export function closeOnShutdown(name: string, close: () => Promise<void>): void {
  if (resources.length === 0) {
    process.once('SIGINT', () => void shutDown('SIGINT'));
    process.once('SIGTERM', () => void shutDown('SIGTERM'));
  }
  resources.push({ name, close });
}

async function shutDown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`${signal}: shutting down`);
  // A second Ctrl-C means "now".
  process.once(signal, () => process.exit(130));
  process.exit((await closeAll()) ? 0 : 1);
}

/** Ends the process after a failed start with a one-line reason (the stack only with DEBUG set). */
export async function fail(error: unknown): Promise<never> {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`could not start: ${message}`);
  if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
  shuttingDown = true;
  await closeAll();
  process.exit(1);
}

async function closeAll(): Promise<boolean> {
  setTimeout(() => {
    console.error(`still closing after ${SHUTDOWN_GRACE_MS / 1000} s; exiting`);
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  let clean = true;
  for (const { name, close } of resources.splice(0).reverse()) {
    try {
      await close();
    } catch (error) {
      clean = false;
      console.error(`closing the ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return clean;
}
