// Step output on its way to the views, batched: text arriving in many small chunks goes out at
// most every OUTPUT_FLUSH_MS per step, and `flush` sends what waits before anything that must come
// after it (a state change, a full redraw), so no text is ever shown twice or out of order.

import type * as vscode from 'vscode';

const OUTPUT_FLUSH_MS = 50;

export interface OutputChange {
  uri: vscode.Uri;
  stepId: string;
  text: string;
  reset?: boolean;
}

export class OutputBatch implements vscode.Disposable {
  private readonly pending = new Map<string, OutputChange>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly send: (change: OutputChange) => void) {}

  append(uri: vscode.Uri, stepId: string, text: string): void {
    const key = `${uri.toString()}#${stepId}`;
    const entry = this.pending.get(key);
    if (entry) entry.text += text;
    else this.pending.set(key, { uri, stepId, text });
    this.timer ??= setTimeout(() => this.flush(), OUTPUT_FLUSH_MS);
  }

  /** The step's output starts over: what waits for it is dropped. */
  reset(uri: vscode.Uri, stepId: string): void {
    this.pending.delete(`${uri.toString()}#${stepId}`);
    this.send({ uri, stepId, text: '', reset: true });
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const change of batch) this.send(change);
  }

  dispose(): void {
    this.flush();
  }
}
