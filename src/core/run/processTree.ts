// Killing a step means killing everything it started: its process group, and any descendant that
// left the group (setsid, nohup in a new session) found through /proc while the tree is intact.

import { readdirSync, readFileSync } from 'node:fs';

/** Calls `read` with each process's pid and one of its /proc files (Linux; nothing elsewhere). */
function eachProcess(file: 'stat' | 'environ', read: (pid: number, text: string) => void): void {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      read(Number(entry), readFileSync(`/proc/${entry}/${file}`, 'latin1'));
    } catch {
      // the process ended while we looked, or is not ours to read
    }
  }
}

/** The children of every process. */
function childrenMap(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  eachProcess('stat', (pid, stat) => {
    // The command name may hold spaces and parentheses; the ppid follows the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  });
  return children;
}

/**
 * Processes whose environment holds `marker` (a `NAME=value` the step was started with). This
 * finds what a double fork hid: reparented to init, in a session of its own, but still carrying
 * the step's environment.
 */
export function markedProcesses(marker: string): number[] {
  const found: number[] = [];
  eachProcess('environ', (pid, environ) => {
    if (environ.split('\0').includes(marker)) found.push(pid);
  });
  return found;
}

export function descendants(pid: number): number[] {
  const children = childrenMap();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Whether `pid` still runs; a zombie (ended, not yet reaped) does not count. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Sends `sig` to the process group led by `pid` and to every descendant of `pid`. Returns the
 * pids it signalled, so the caller can follow up with SIGKILL.
 */
export function signalTree(pid: number, sig: NodeJS.Signals, known: number[] = [], marker?: string): number[] {
  const pids = [...new Set([pid, ...known, ...descendants(pid), ...(marker ? markedProcesses(marker) : [])])];
  signal(-pid, sig);
  for (const p of pids) signal(p, sig);
  return pids;
}

/** SIGTERM to the tree (and to processes carrying `marker`), then SIGKILL to whatever is still alive after `graceMs`; resolves once the tree is gone. */
export async function killTree(pid: number, graceMs = 2000, marker?: string): Promise<void> {
  const pids = signalTree(pid, 'SIGTERM', [], marker);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(isAlive)) await new Promise((r) => setTimeout(r, 25));
  const killed = signalTree(pid, 'SIGKILL', pids.filter(isAlive), marker);
  // SIGKILL takes effect asynchronously: wait (briefly) until it has, so callers can say "stopped".
  const killDeadline = Date.now() + 1000;
  while (Date.now() < killDeadline && killed.some(isAlive)) await new Promise((r) => setTimeout(r, 10));
}
