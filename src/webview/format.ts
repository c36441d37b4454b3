// Pure text formatting for the preview: durations, sizes and the step badge.

import type { StepView } from '../features/preview/protocol';

// The same duration format as the editor's CodeLens and the Steps view: `12ms`, `1.2s`, `2m 5s`.
// Imported from its own module, not the runbook index, to keep markdown-it out of this bundle.
import { formatDuration } from '../core/runbook/duration';

export { formatDuration };

/** Whole seconds, for the running timer: `3s`, `1m 05s`, `1h 02m`. */
export function formatSeconds(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** Bytes as MiB: `0.5 MiB`, `3.2 MiB`, `12 MiB`. */
export function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 10) return `${Math.round(mib)} MiB`;
  const rounded = Math.max(0.1, Math.round(mib * 10) / 10);
  return `${rounded} MiB`;
}

export function isBusy(state: StepView | undefined): boolean {
  return state?.status === 'queued' || state?.status === 'running';
}

/** The badge text for a state; `now` is epoch ms, for the running timer. */
export function badgeText(state: StepView, now: number): string {
  switch (state.status) {
    case 'pending':
      return '';
    case 'queued':
      return 'queued';
    case 'running':
      return state.startedAt !== undefined ? `running ${formatSeconds((now - state.startedAt) / 1000)}` : 'running';
    case 'passed':
      return ['passed', exitPart(state), durationPart(state)].filter(Boolean).join(' · ');
    case 'failed': {
      const reason = state.exitCode !== undefined ? exitPart(state) : state.message;
      return ['failed', reason].filter(Boolean).join(' · ');
    }
    case 'timed-out':
      return 'timed out';
    case 'cancelled':
      return 'cancelled';
    default:
      return String(state.status);
  }
}

function exitPart(state: StepView): string | undefined {
  return state.exitCode !== undefined ? `exit ${state.exitCode}` : undefined;
}

function durationPart(state: StepView): string | undefined {
  return state.durationMs !== undefined ? formatDuration(state.durationMs) : undefined;
}
