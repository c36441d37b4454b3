// Killing a step means killing everything it started. Where the system offers a real container
// for a process tree (a cgroup v2 folder we may create, Linux), each step run gets one: its first
// process moves itself in before it can fork (a shell step on its first line, other interpreters
// through a POSIX shell that moves itself in and then becomes them), and nothing it starts can
// leave (setsid, double forks and `env -i` included, short of root writing to another cgroup), so
// `cgroup.kill` (or freeze and SIGKILL each member) ends it whole.
// Elsewhere, and as a second net, the step's process group, its descendants found through /proc,
// and every process whose environment carries the step's mark are swept, stopped first with
// SIGSTOP so a fork loop cannot outrun the sweep, and swept again until none is left (bounded).
// Self-contained (only `node:` imports): the script generator embeds this file in every script.

import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';

/** A cgroup v2 folder that holds one step run and everything it starts. */
export interface ProcessContainer {
  path: string;
}

/** What belongs to one step run: its first process, the mark in its environment, its container. */
export interface ProcessTree {
  pid: number;
  /** `NAME=value` every process of the step inherits (unless it clears its environment). */
  marker?: string;
  container?: ProcessContainer;
}

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

function sendSignal(pid: number, sig: NodeJS.Signals): void {
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

/** A process's command line for a person to read (`python3 -m http.server 8765`). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

// cgroup v2 containers

/** Where new containers go: undefined until probed, null when the system offers none to us. */
let containerParent: string | null | undefined;
let containerCount = 0;

/** The cgroup v2 folder this process is in, if cgroup2 is mounted (also in a hybrid layout). */
function ownCgroupFolder(): string | undefined {
  let mounts: string;
  let own: string;
  try {
    mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    own = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return undefined;
  }
  const path = /^0::(\/.*)$/m.exec(own)?.[1];
  if (path === undefined) return undefined;
  for (const line of mounts.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!after?.startsWith('cgroup2 ')) continue;
    const fields = before.split(' ');
    const root = fields[3];
    const mountPoint = fields[4].replace(/\\040/g, ' ');
    // A mount of a sub-tree (root other than /) holds our cgroup only if our path is inside it.
    if (root !== '/' && path !== root && !path.startsWith(`${root}/`)) continue;
    const inside = root === '/' ? path : path.slice(root.length);
    return `${mountPoint}${inside === '/' ? '' : inside}`;
  }
  return undefined;
}

/** Removes containers left empty by earlier processes of ours that ended without cleaning up. */
function removeStaleContainers(parent: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = /^runbook-step-(\d+)-/.exec(entry)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    try {
      rmdirSync(`${parent}/${entry}`); // fails, as it should, while processes are still inside
    } catch {
      // still populated, or not ours
    }
  }
}

/**
 * A new container for one step run, or undefined where the system offers none (no cgroup v2, no
 * permission to create a cgroup, no `cgroup.procs` to move into). Detected at run time, once.
 */
export function createContainer(): ProcessContainer | undefined {
  if (containerParent === null) return undefined;
  if (containerParent === undefined) {
    const parent = ownCgroupFolder();
    containerParent = parent ?? null;
    if (parent === undefined) return undefined;
    removeStaleContainers(parent);
  }
  const path = `${containerParent}/runbook-step-${process.pid}-${++containerCount}-${Date.now().toString(36)}`;
  try {
    mkdirSync(path);
    return { path };
  } catch {
    // Read-only cgroup file system, not root and not delegated: do without from now on.
    if (containerCount === 1) containerParent = null;
    return undefined;
  }
}

/**
 * The command that starts `command` inside `container`: a POSIX shell moves itself into the
 * cgroup, then becomes the command (same pid), so even its first fork happens inside.
 */
export function containedCommand(container: ProcessContainer, command: string, args: string[]): { command: string; args: string[] } {
  return { command: '/bin/sh', args: ['-c', '{ echo $$ > "$0"; } 2>/dev/null; exec "$@"', `${container.path}/cgroup.procs`, command, ...args] };
}

/** The first line of a shell step in `container`: the shell moves itself in before anything else runs. */
export function containerEntryLine(container: ProcessContainer): string {
  return `{ echo $$ > '${container.path.replaceAll("'", `'\\''`)}/cgroup.procs'; } 2>/dev/null`;
}

export function containerMembers(container: ProcessContainer): number[] {
  try {
    return readFileSync(`${container.path}/cgroup.procs`, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Removes an empty container; false (and nothing done) while processes are still inside. */
export function removeContainer(container: ProcessContainer): boolean {
  try {
    rmdirSync(container.path);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function writeControl(container: ProcessContainer, file: string, value: string): boolean {
  try {
    writeFileSync(`${container.path}/${file}`, value);
    return true;
  } catch {
    return false;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGKILL everything in the container, atomically where the kernel has `cgroup.kill` (5.14+). */
async function killContainer(container: ProcessContainer, deadline: number): Promise<void> {
  const hasKill = writeControl(container, 'cgroup.kill', '1');
  // Without cgroup.kill, freeze first so no member can fork between our reading and our signal.
  const frozen = !hasKill && writeControl(container, 'cgroup.freeze', '1');
  while (Date.now() < deadline) {
    const members = containerMembers(container).filter(isAlive);
    if (members.length === 0) break;
    if (hasKill) writeControl(container, 'cgroup.kill', '1');
    else for (const pid of members) sendSignal(pid, 'SIGKILL');
    await pause(10);
  }
  if (frozen) writeControl(container, 'cgroup.freeze', '0');
}

// The sweep

/** Every live process of the tree we can find: container members, group, descendants, marked. */
export function treeMembers(tree: ProcessTree, known: number[] = []): number[] {
  const found = new Set<number>(known);
  if (tree.container) for (const pid of containerMembers(tree.container)) found.add(pid);
  if (isAlive(tree.pid)) found.add(tree.pid);
  for (const pid of descendants(tree.pid)) found.add(pid);
  if (tree.marker) for (const pid of markedProcesses(tree.marker)) found.add(pid);
  found.delete(process.pid);
  return [...found].filter(isAlive);
}

/**
 * Sends `sig` to the process group led by `pid` and to every descendant of `pid`. Returns the
 * pids it signalled, so the caller can follow up with SIGKILL.
 */
export function signalTree(pid: number, sig: NodeJS.Signals, known: number[] = [], marker?: string, container?: ProcessContainer): number[] {
  const pids = treeMembers({ pid, marker, container }, known);
  sendSignal(-pid, sig);
  for (const p of pids) sendSignal(p, sig);
  return pids;
}

/** Longest a stop may take after the grace period, and most sweeps it makes, however the tree fights. */
const KILL_TIME_MS = 5000;
const MAX_SWEEPS = 200;

/**
 * SIGTERM to the tree, SIGKILL to whatever is still alive after `graceMs`, repeated until no
 * process of the tree remains (bounded by KILL_TIME_MS and MAX_SWEEPS); resolves once it is gone.
 */
export async function stopTree(tree: ProcessTree, graceMs = 2000): Promise<void> {
  let pids = signalTree(tree.pid, 'SIGTERM', [], tree.marker, tree.container);
  const graceEnd = Date.now() + graceMs;
  while (Date.now() < graceEnd && pids.some(isAlive)) await pause(25);
  const deadline = Date.now() + KILL_TIME_MS;
  if (tree.container) await killContainer(tree.container, deadline);
  // The sweep also catches what left the container (only root can) or what had no container.
  for (let sweep = 0; sweep < MAX_SWEEPS && Date.now() < deadline; sweep++) {
    pids = treeMembers(tree, pids.filter(isAlive));
    if (pids.length === 0) break;
    // Stopped processes cannot fork: stop them all, look again for any born meanwhile, then kill.
    for (const pid of pids) sendSignal(pid, 'SIGSTOP');
    sendSignal(-tree.pid, 'SIGKILL');
    for (const pid of treeMembers(tree, pids)) sendSignal(pid, 'SIGKILL');
    await pause(sweep < 5 ? 5 : 20);
  }
  if (tree.container) removeContainer(tree.container);
}

/** SIGTERM to the tree (and to processes carrying `marker`), then SIGKILL until it is gone; resolves once it is. */
export async function killTree(pid: number, graceMs = 2000, marker?: string, container?: ProcessContainer): Promise<void> {
  await stopTree({ pid, marker, container }, graceMs);
}
