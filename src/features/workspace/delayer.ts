// One way to debounce, modelled on the Markdown extension's `Delayer`: the last task triggered
// runs once the delay has passed without another trigger. `KeyedDelayer` keeps one per key, so
// two runbooks edited within the delay each get their own run.

import type * as vscode from 'vscode';

export class Delayer implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private task: (() => void) | undefined;

  constructor(private readonly defaultDelayMs: number) {}

  /** Runs `task` after `delayMs` unless triggered again before; the newest task wins. */
  trigger(task: () => void, delayMs = this.defaultDelayMs): void {
    this.task = task;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), delayMs);
  }

  get isPending(): boolean {
    return this.task !== undefined;
  }

  /** Runs the waiting task now, if there is one. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const task = this.task;
    this.task = undefined;
    task?.();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.task = undefined;
  }

  dispose(): void {
    this.cancel();
  }
}

export class KeyedDelayer<K> implements vscode.Disposable {
  private readonly delayers = new Map<K, Delayer>();

  constructor(private readonly delayMs: number) {}

  trigger(key: K, task: () => void): void {
    let delayer = this.delayers.get(key);
    if (!delayer) this.delayers.set(key, (delayer = new Delayer(this.delayMs)));
    delayer.trigger(() => {
      this.delayers.delete(key);
      task();
    });
  }

  cancel(key: K): void {
    this.delayers.get(key)?.cancel();
    this.delayers.delete(key);
  }

  dispose(): void {
    for (const delayer of this.delayers.values()) delayer.dispose();
    this.delayers.clear();
  }
}
