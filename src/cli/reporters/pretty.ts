// `--reporter pretty` (the default): on a TTY, a live list of the steps with their state, duration
// and the running step's last lines of output (redrawn in place with log-update); elsewhere (CI
// logs, pipes) the same story as plain lines, with the output streamed line by line.

import type LogUpdate from 'log-update';
import { formatDuration } from '../../core/runbook';
import type { RunEvent, RunOutcome } from '../../core/runner';
import type { StepResult } from '../../core/run';
import type { Colors, Terminal } from '../terminal';
import type { Reporter, ReportContext } from './types';

type Row = { id: string; title: string; manual: boolean; state: 'pending' | 'queued' | 'running' | 'passed' | 'failed' | 'timed-out' | 'cancelled' | 'skipped' | 'done' | 'waiting'; note?: string };

// Loaded only for a live display on a TTY: log-update (with its string-width and wrap-ansi) takes
// longer to set up than a one-step run takes in a CI log (bench/README.md, the cold-run row).
let logUpdateModule: typeof LogUpdate | undefined;
function logUpdate(): typeof LogUpdate {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  logUpdateModule ??= (require('log-update') as { default: typeof LogUpdate }).default;
  return logUpdateModule;
}

const LIVE_LINES = 4;
const REDRAW_MS = 80;

function icon(state: Row['state'], c: Colors): string {
  switch (state) {
    case 'passed':
    case 'done':
      return c.green('✓');
    case 'failed':
    case 'timed-out':
      return c.red('✗');
    case 'cancelled':
      return c.yellow('■');
    case 'skipped':
      return c.dim('↷');
    case 'running':
      return c.cyan('▶');
    case 'queued':
      return c.dim('…');
    case 'waiting':
      return c.yellow('☐');
    default:
      return c.dim('○');
  }
}

function resultNote(result: StepResult): string {
  const time = formatDuration(result.durationMs);
  if (result.status === 'passed') return time;
  if (result.status === 'failed' && result.expected && !result.expected.ok) return `output did not match · ${time}`;
  if (result.status === 'failed') return result.exitCode !== undefined ? `exit ${result.exitCode} · ${time}` : result.message ?? 'failed';
  return `${result.status} · ${time}`;
}

export class PrettyReporter implements Reporter {
  private readonly rows = new Map<string, Row>();
  private readonly tails = new Map<string, string>();
  private running: string | undefined;
  private runningSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly live: boolean;
  private paused = false;
  private readonly partial = new Map<string, string>();

  constructor(
    private readonly terminal: Terminal,
    private readonly context: ReportContext,
  ) {
    this.live = terminal.stdoutIsTTY;
    const previous = terminal.onPrompt;
    terminal.onPrompt = (asking) => {
      previous?.(asking);
      this.pause(asking);
    };
  }

  private get c(): Colors {
    return this.terminal.colors;
  }

  event(event: RunEvent): void {
    switch (event.type) {
      case 'run-start':
        for (const id of event.items) {
          const item = this.context.runbook.items.find((candidate) => candidate.id === id);
          if (item) this.rows.set(id, { id, title: item.title, manual: item.kind === 'manual', state: 'pending' });
        }
        if (!this.live) this.terminal.out(`${this.c.bold(event.runbook.title)} ${this.c.dim(event.runbook.key)}\n`);
        break;
      case 'step-queued':
        this.set(event.stepId, 'queued');
        break;
      case 'step-start':
        this.running = event.stepId;
        this.runningSince = event.at;
        this.set(event.stepId, 'running');
        if (!this.live) this.terminal.out(`${icon('running', this.c)} ${this.title(event.stepId)}\n`);
        break;
      case 'output':
        if (this.live) {
          this.tails.set(event.stepId, ((this.tails.get(event.stepId) ?? '') + event.text).slice(-4000));
        } else {
          this.plainOutput(event.stepId, event.text);
        }
        break;
      case 'step-end':
        this.flushPartial(event.stepId);
        if (this.running === event.stepId) this.running = undefined;
        this.set(event.stepId, event.result.status, resultNote(event.result));
        if (!this.live) this.terminal.out(`${icon(event.result.status, this.c)} ${this.title(event.stepId)} ${this.c.dim(resultNote(event.result))}\n`);
        break;
      case 'step-skipped':
        this.set(event.stepId, 'skipped', event.reason === 'skip-attribute' ? 'marked skip' : 'skipped by hand');
        if (!this.live) this.terminal.out(`${icon('skipped', this.c)} ${this.title(event.stepId)} ${this.c.dim('skipped')}\n`);
        break;
      case 'manual-step': {
        const state = event.result === 'checked' ? 'done' : 'skipped';
        this.set(event.stepId, state, event.result === 'checked' ? 'manual · done' : 'manual · left for a person');
        if (!this.live) this.terminal.out(`${icon(state, this.c)} ${this.title(event.stepId)} ${this.c.dim(event.result === 'checked' ? 'manual, done' : 'manual, left for a person')}\n`);
        break;
      }
      default:
        break;
    }
    this.schedule();
  }

  private title(id: string): string {
    return this.rows.get(id)?.title ?? id;
  }

  private set(id: string, state: Row['state'], note?: string): void {
    const row = this.rows.get(id);
    if (row) Object.assign(row, { state, note });
  }

  /** Whole lines of output, each under the step, prefixed so logs stay readable. */
  private plainOutput(stepId: string, text: string): void {
    const pending = (this.partial.get(stepId) ?? '') + text;
    const lines = pending.split('\n');
    this.partial.set(stepId, lines.pop() ?? '');
    for (const line of lines) this.terminal.out(`  ${this.c.dim('│')} ${line}\n`);
  }

  private flushPartial(stepId: string): void {
    const rest = this.partial.get(stepId);
    this.partial.delete(stepId);
    if (!this.live && rest) this.terminal.out(`  ${this.c.dim('│')} ${rest}\n`);
  }

  private schedule(): void {
    if (!this.live || this.paused || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, REDRAW_MS);
  }

  private frame(): string {
    const lines = [`${this.c.bold(this.context.runbook.title)} ${this.c.dim(this.context.key)}`];
    for (const row of this.rows.values()) {
      const note = row.state === 'running' ? formatDuration(Date.now() - this.runningSince) : row.note;
      lines.push(`  ${icon(row.state, this.c)} ${row.manual ? `${row.title} ${this.c.dim('(manual)')}` : row.title}${note ? `  ${this.c.dim(note)}` : ''}`);
      if (row.id === this.running) {
        const tail = (this.tails.get(row.id) ?? '').replace(/\r/g, '').split('\n').filter((line) => line.trim() !== '').slice(-LIVE_LINES);
        for (const line of tail) lines.push(`      ${this.c.dim('│')} ${this.c.dim(line.slice(0, 200))}`);
      }
    }
    return lines.join('\n');
  }

  private render(): void {
    if (this.paused) return;
    logUpdate()(this.frame());
    // Keep the running timer moving.
    if (this.running) this.schedule();
  }

  private pause(asking: boolean): void {
    if (!this.live) return;
    this.paused = asking;
    if (asking) {
      clearTimeout(this.timer);
      this.timer = undefined;
      logUpdate().clear();
    } else this.schedule();
  }

  finish(outcome: RunOutcome, exitCode: number): undefined {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.live) {
      logUpdate()(this.frame());
      logUpdate().done();
    }
    const c = this.c;
    const failed = outcome.results.find((result) => result.status !== 'passed');
    if (failed) {
      const tail = failed.output.replace(/\n$/, '').split('\n').slice(-20).join('\n');
      if (this.live && tail) this.terminal.out(`\n${c.dim(`Output of "${this.title(failed.stepId)}" (last lines):`)}\n${tail}\n`);
      if (failed.expected?.diff) this.terminal.out(`\n${c.dim('Expected output (- expected, + printed):')}\n${failed.expected.diff}\n`);
    }
    const left = outcome.manualSkipped.map((id) => this.title(id));
    if (left.length > 0) this.terminal.out(`\n${c.yellow('Left for a person:')}\n${left.map((title) => `  ☐ ${title}`).join('\n')}\n`);
    const ran = outcome.results.length;
    const summary =
      outcome.status === 'passed'
        ? c.green(`✓ ${ran} step${ran === 1 ? '' : 's'} passed`)
        : outcome.status === 'blocked'
          ? c.yellow(`■ stopped: ${outcome.message}`)
          : c.red(`✗ ${outcome.status}${outcome.stepTitle ? ` at "${outcome.stepTitle}"` : ''}: ${outcome.message}`);
    this.terminal.out(`\n${summary} ${c.dim(`(exit ${exitCode})`)}\n`);
    return undefined;
  }
}
