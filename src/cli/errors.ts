// Errors the `runbook` command reports as a message and an exit code, never as a stack trace.

export class CliError extends Error {
  constructor(
    message: string,
    /** 2 for bad usage or invalid input (see exitCodeOf in src/core/runner for the others). */
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export function usageError(message: string, hint = 'see `runbook --help`'): CliError {
  return new CliError(`${message} (${hint})`, 2);
}
