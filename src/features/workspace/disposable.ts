// One way to own and release VS Code registrations, modelled on the Markdown extension's
// `Disposable` base: a class registers what it creates with `_register` and `dispose()` releases
// all of it once, in reverse order, even if one of them throws.

import type * as vscode from 'vscode';

export function disposeAll(disposables: vscode.Disposable[]): void {
  const errors: unknown[] = [];
  while (disposables.length > 0) {
    try {
      disposables.pop()?.dispose();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose.');
}

export abstract class Disposable implements vscode.Disposable {
  #disposed = false;
  readonly #disposables: vscode.Disposable[] = [];

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    disposeAll(this.#disposables);
  }

  protected get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Keeps `value` until this object is disposed; a value registered after that is disposed at once. */
  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this.#disposed) value.dispose();
    else this.#disposables.push(value);
    return value;
  }
}
