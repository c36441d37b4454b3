// `--reporter markdown`: the same run report the editor's Export Run Report writes, from the run's
// records, ready for an incident ticket or a CI job summary.

import { renderRunReport } from '../../core/progress';
import type { Reporter, ReportContext } from './types';

export class MarkdownReporter implements Reporter {
  constructor(private readonly context: ReportContext) {}

  event(): void {}

  finish(): string {
    const { runbook, key, progress, inputs, secretNames } = this.context;
    return renderRunReport({ runbook, runbookPath: key, progress: progress(), inputs, secretNames, now: Date.now() });
  }
}
