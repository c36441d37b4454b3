// The command line's side of a run: answers from flags (`--yes`, `--skip-manual`), prompts on a TTY,
// and, with no TTY, no answer at all, so the run ends at once saying what is missing instead of
// waiting for input that will never come.

import type { KnownValues, ManualAnswer, ManualRequest, RunFrontEnd, ValueRequest, ConfirmRequest } from '../core/runner';
import type { Terminal } from './terminal';

export interface CliAnswers {
  yes: boolean;
  skipManual: boolean;
}

export class CliFrontEnd implements RunFrontEnd {
  constructor(
    private readonly values: Map<string, string>,
    private readonly secrets: string[],
    private readonly answers: CliAnswers,
    private readonly terminal: Terminal,
  ) {}

  async knownValues(): Promise<KnownValues> {
    return { values: Object.fromEntries(this.values), secrets: [...this.secrets] };
  }

  async confirm({ step, runbook, reasons }: ConfirmRequest): Promise<boolean> {
    if (this.answers.yes) return true;
    if (!this.terminal.interactive) return false;
    const where = runbook.meta.environment ? ` in ${runbook.meta.environment}` : '';
    this.terminal.err(`\n"${step.title}" asks for confirmation: ${reasons.join('; ')}.\n`);
    const answer = await this.terminal.ask(`Run "${step.title}"${where}? [y/N] `);
    return /^y(es)?$/i.test((answer ?? '').trim());
  }

  async askValues(requests: ValueRequest[]): Promise<Record<string, string>> {
    const given: Record<string, string> = {};
    if (!this.terminal.interactive) return given;
    for (const { step, input } of requests) {
      const answer = await this.terminal.ask(`Value for ${input.label} ("${step.title}" reads it as $${input.name}): `);
      if (answer === undefined) break;
      given[input.name] = answer;
    }
    return given;
  }

  rememberValue(name: string, value: string): void {
    this.values.set(name, value);
  }

  async manualStep({ step }: ManualRequest): Promise<ManualAnswer> {
    if (this.answers.skipManual) return 'skip';
    if (!this.terminal.interactive) return 'stop';
    this.terminal.err(`\nManual step: ${step.title}\n`);
    const answer = ((await this.terminal.ask('Done? [y = done, s = skip and leave it for a person, N = stop here] ')) ?? '').trim();
    if (/^y(es)?$/i.test(answer)) return 'done';
    if (/^s(kip)?$/i.test(answer)) return 'skip';
    return 'stop';
  }
}
