// Input values per workspace: plain ones in workspace state, secret ones in SecretStorage, and
// implicit ones (placeholders, unset variables) for the session only.

import * as vscode from 'vscode';
import type { InputSpec, Runbook } from '../../core/runbook';

export class InputStore {
  private readonly implicit = new Map<string, Map<string, string>>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  private key(uri: vscode.Uri): string {
    return `runbooks.inputs:${uri.toString()}`;
  }

  private secretKey(uri: vscode.Uri, name: string): string {
    return `runbooks.secret:${uri.toString()}:${name}`;
  }

  private plainValues(uri: vscode.Uri): Record<string, string> {
    return this.state.get<Record<string, string>>(this.key(uri)) ?? {};
  }

  /** Every value a run of `runbook` has: declared inputs (secrets included) and implicit ones. */
  async values(uri: vscode.Uri, runbook: Runbook): Promise<{ values: Record<string, string>; secrets: string[] }> {
    const values: Record<string, string> = { ...Object.fromEntries(this.implicit.get(uri.toString()) ?? []) };
    const plain = this.plainValues(uri);
    const secrets: string[] = [];
    for (const spec of runbook.inputs) {
      if (spec.secret) {
        const value = await this.secrets.get(this.secretKey(uri, spec.name));
        if (value !== undefined) {
          values[spec.name] = value;
          secrets.push(value);
        }
      } else if (plain[spec.name] !== undefined) {
        values[spec.name] = plain[spec.name];
      }
    }
    return { values, secrets };
  }

  async set(uri: vscode.Uri, spec: InputSpec, value: string): Promise<void> {
    if (spec.secret) {
      if (value === '') await this.secrets.delete(this.secretKey(uri, spec.name));
      else await this.secrets.store(this.secretKey(uri, spec.name), value);
      return;
    }
    const plain = { ...this.plainValues(uri) };
    if (value === '') delete plain[spec.name];
    else plain[spec.name] = value;
    await this.state.update(this.key(uri), plain);
  }

  setImplicit(uri: vscode.Uri, name: string, value: string): void {
    const key = uri.toString();
    if (!this.implicit.has(key)) this.implicit.set(key, new Map());
    this.implicit.get(key)!.set(name, value);
  }

  /** Whether a value was given this session for an implicit input (`$CLUSTER`, `<pod-name>`). */
  hasImplicit(uri: vscode.Uri, name: string): boolean {
    return this.implicit.get(uri.toString())?.has(name) ?? false;
  }

  /** One input's value as a hover may show it: a plain one's value, or only whether a secret is set. */
  async describe(uri: vscode.Uri, spec: InputSpec): Promise<{ value?: string; isSet: boolean }> {
    if (spec.secret) return { isSet: (await this.secrets.get(this.secretKey(uri, spec.name))) !== undefined };
    const value = this.plainValues(uri)[spec.name] ?? spec.default;
    return { value, isSet: value !== undefined };
  }

  clearImplicit(uri: vscode.Uri): void {
    this.implicit.delete(uri.toString());
  }
}
