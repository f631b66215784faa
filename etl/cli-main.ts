import type { Command } from 'commander';

/**
 * A failure with a one-line message for the user (no stack trace), and the exit code to end with:
 * 1, or 128 + the signal's number for work stopped by a signal (130 for Ctrl-C), as a shell reports it.
 */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * Runs a command-line program (npm run etl, npm run admin): exit 0 on success, 2 on a usage error
 * (commander has printed it), 1 with one line on a failure (a CliFailure may say another code);
 * a stack only for unexpected errors.
 */
export async function runCli(program: Command, argv: string[] = process.argv): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const commanderError = error as { code?: string; exitCode?: number };
    if (typeof commanderError.code === 'string' && commanderError.code.startsWith('commander.')) {
      process.exit(commanderError.exitCode === 0 ? 0 : 2);
    }
    console.error(
      error instanceof CliFailure ? error.message : error instanceof Error ? `error: ${error.message}` : error,
    );
    process.exit(error instanceof CliFailure ? error.exitCode : 1);
  }
}
