// The command's terminal: where text goes, whether a person is there to answer (stdin and stderr
// are TTYs), colours (picocolors, off for NO_COLOR, TERM=dumb and anything that is not a TTY unless
// FORCE_COLOR), and prompts, masked for secrets. With no TTY nothing ever waits on a prompt.

import type * as Readline from 'node:readline';
import { isatty } from 'node:tty';
import { createColors } from 'picocolors';

export type Colors = ReturnType<typeof createColors>;

export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (live redraws are possible). */
  readonly stdoutIsTTY: boolean;
  /** Whether a person can answer prompts: stdin and stderr are terminals. */
  readonly interactive: boolean;
  readonly colors: Colors;
  /** Asks on stderr; undefined when input ends (Ctrl-D) or is interrupted. */
  ask(question: string, options?: { mask?: boolean }): Promise<string | undefined>;
  /** Called around every prompt, so a live display can step aside. */
  onPrompt?: (asking: boolean) => void;
}

export function colorsEnabled(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}

/**
 * Writes to the stream `open` gives until whoever reads it goes away (`runbook list | head`): then
 * the rest is dropped instead of an unhandled EPIPE ending the process with a stack trace, and a
 * run goes on to write its history and report.
 */
function closableWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  // Listened to at once, not at the first write: the bridge logs to process.stderr directly, and
  // this listener is what keeps a reader of its log going away from ending it with EPIPE.
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
    else throw error;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

export function processTerminal(): Terminal {
  const stdoutIsTTY = process.stdout.isTTY === true;
  const terminal: Terminal = {
    out: closableWriter(process.stdout),
    err: closableWriter(process.stderr),
    stdoutIsTTY,
    // isatty, not process.stdin.isTTY: that getter opens stdin as a stream, which a run without
    // prompts never reads (a few ms of every cold start).
    interactive: isatty(0) && isatty(2),
    colors: createColors(colorsEnabled(process.env, stdoutIsTTY)),
    ask: (question, options = {}) =>
      new Promise((resolve) => {
        terminal.onPrompt?.(true);
        // Loaded for the first prompt only: readline is not on the way of a run in CI.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { createInterface } = require('node:readline') as typeof Readline;
        const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
        let answered = false;
        const finish = (value: string | undefined) => {
          if (answered) return;
          answered = true;
          rl.close();
          if (options.mask) process.stderr.write('\n');
          terminal.onPrompt?.(false);
          resolve(value);
        };
        if (options.mask) {
          // Echo nothing of what is typed, only the question.
          const writer = rl as unknown as { _writeToOutput: (text: string) => void };
          writer._writeToOutput = (text: string) => {
            if (text.includes(question)) process.stderr.write(question);
          };
        }
        rl.question(question, (answer) => finish(answer));
        rl.on('close', () => finish(undefined));
        rl.on('SIGINT', () => {
          finish(undefined);
          process.kill(process.pid, 'SIGINT');
        });
      }),
  };
  return terminal;
}
