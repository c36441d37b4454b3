// The one table `npm run bench` prints, and the rows behind it.

export type Unit = 'ms' | 'KiB' | 'MiB';

export interface Row {
  id: string;
  what: string;
  unit: Unit;
  /** Our median (or our single figure, for sizes). Undefined when the row was skipped. */
  ours?: number;
  /** The baseline's median, measured in the same run. */
  baseline?: number;
  baselineLabel: string;
  /**
   * How the budget reads: `ratio` — ours / baseline ≤ budget; `diff` — ours − baseline ≤ budget;
   * `max` — ours ≤ budget (the baseline, if any, is shown for context only).
   */
  kind: 'ratio' | 'diff' | 'max';
  budget: number;
  /** Passed, failed, or skipped (with the reason in `note`). */
  status: 'ok' | 'over' | 'skipped';
  note?: string;
  samples?: { ours: number[]; baseline?: number[] };
}

export function judge(row: Omit<Row, 'status'>): Row {
  if (row.ours === undefined) return { ...row, status: 'skipped' };
  const value = figure(row);
  return { ...row, status: value !== undefined && value <= row.budget ? 'ok' : 'over' };
}

/** The number the budget applies to. */
export function figure(row: Pick<Row, 'kind' | 'ours' | 'baseline'>): number | undefined {
  if (row.ours === undefined) return undefined;
  if (row.kind === 'max') return row.ours;
  if (row.baseline === undefined) return undefined;
  return row.kind === 'ratio' ? row.ours / row.baseline : row.ours - row.baseline;
}

function amount(value: number | undefined, unit: Unit): string {
  if (value === undefined) return '—';
  const digits = unit === 'ms' ? (value < 10 ? 2 : value < 100 ? 1 : 0) : 1;
  return `${value.toFixed(digits)} ${unit}`;
}

function comparison(row: Row): string {
  if (row.ours === undefined || row.baseline === undefined) return '—';
  if (row.kind === 'diff') {
    const diff = row.ours - row.baseline;
    return `${diff >= 0 ? '+' : '−'}${amount(Math.abs(diff), row.unit)}`;
  }
  return `${(row.ours / row.baseline).toFixed(2)}×`;
}

function budgetText(row: Row): string {
  if (row.kind === 'ratio') return `≤ ${row.budget}×`;
  if (row.kind === 'diff') return `≤ +${amount(row.budget, row.unit)}`;
  return `≤ ${amount(row.budget, row.unit)}`;
}

export function formatTable(rows: Row[]): string {
  const header = ['what', 'ours', 'baseline', 'ratio/diff', 'budget', 'ok?'];
  const cells = rows.map((row) => [
    row.what,
    amount(row.ours, row.unit),
    row.baseline === undefined ? row.baselineLabel : `${amount(row.baseline, row.unit)} (${row.baselineLabel})`,
    comparison(row),
    budgetText(row),
    row.status === 'ok' ? 'ok' : row.status === 'over' ? 'OVER' : 'skipped',
  ]);
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.what}: ${r.note}`);
  return [textTable(header, cells), ...(notes.length ? ['', 'Notes:', ...notes] : [])].join('\n');
}

/** A Markdown-style table of text cells, each column as wide as its widest cell. */
export function textTable(header: string[], cells: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]].length)));
  const line = (c: string[]) => `| ${c.map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
