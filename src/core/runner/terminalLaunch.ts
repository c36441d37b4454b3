// "Run in terminal": the step's code and a small launcher written to files, so that one short
// command works in whatever shell the terminal runs (bash, zsh, fish, PowerShell), the current
// values are used every time (not the ones the terminal was created with), the language's
// interpreter setting applies, and no value is ever pasted into a command line: the launcher reads
// the values from a NUL-separated file into its environment, deletes that file, and starts the
// interpreter on the code.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replacePlaceholders, shellAnalysisOf, type Step } from '../runbook';
import { interpreterCommand } from '../run/stepRunner';
import { shellQuote } from '../run/shellState';

/** Single-quoted for bash: the launcher's own paths and the runbook's directory, never input values. */
export interface TerminalLaunch {
  /** What to type in the terminal: `bash <launcher>`. */
  command: string;
  /** The folder the step runs in. */
  cwd: string;
}

/** Writes the files of terminal launches into one private folder per runbook session. */
export class TerminalLaunches {
  private folder: Promise<string> | undefined;
  private count = 0;

  async prepare(step: Step, options: { values: Record<string, string>; cwd: string; interpreter?: string }): Promise<TerminalLaunch> {
    this.folder ??= mkdtemp(join(tmpdir(), 'runbook-terminal-'));
    const folder = await this.folder;
    const n = ++this.count;
    const { command, args, extension } = interpreterCommand(step, options.interpreter);
    // The terminal is a person's: no -NonInteractive for PowerShell there.
    const interpreterArgs = step.family === 'powershell' ? args.filter((arg) => arg !== '-NonInteractive') : args;
    const code = step.family === 'shell' ? replacePlaceholders(step.code, shellAnalysisOf(step).placeholders) : step.code;
    const codeFile = join(folder, `${n}${extension}`);
    const valuesFile = join(folder, `${n}.values`);
    const launcher = join(folder, `${n}.launch.sh`);
    const values = Object.entries(options.values)
      .map(([name, value]) => `${name}=${value}\0`)
      .join('');
    const script = [
      '# Written by Executable Runbooks for one "Run in terminal". Values come from a file, never from this text.',
      `while IFS= read -r -d '' __runbook_kv; do export "$__runbook_kv"; done < ${shellQuote(valuesFile)}`,
      `rm -f -- ${shellQuote(valuesFile)}`,
      'unset __runbook_kv',
      `cd -- ${shellQuote(options.cwd)} || exit 1`,
      `exec ${[command, ...interpreterArgs, codeFile].map(shellQuote).join(' ')}`,
      '',
    ].join('\n');
    await writeFile(codeFile, step.family === 'shell' ? `${code}\n` : code, { mode: 0o600 });
    await writeFile(valuesFile, values, { mode: 0o600 });
    await writeFile(launcher, script, { mode: 0o600 });
    // Quoting that bash, zsh, fish and PowerShell all read the same way, only when needed.
    return { command: `bash ${/^[\w./-]+$/.test(launcher) ? launcher : shellQuote(launcher)}`, cwd: options.cwd };
  }

  async dispose(): Promise<void> {
    const folder = this.folder && (await this.folder.catch(() => undefined));
    this.folder = undefined;
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}
