// Replaces secret values with •••• in streamed text. A secret split across two chunks is still
// caught: the last (longest secret − 1) characters wait for the next chunk before they are shown.

export const MASK = '••••';

export class SecretMasker {
  private readonly secrets: string[];
  private readonly holdBack: number;
  private carry = '';

  constructor(secrets: Iterable<string>) {
    // Longest first, so a secret that contains another is masked whole. Very short values would
    // mask ordinary text everywhere; they are left alone.
    this.secrets = [...new Set(secrets)].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
    this.holdBack = this.secrets.length ? Math.max(...this.secrets.map((s) => s.length)) - 1 : 0;
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  /** Masks a complete text. */
  mask(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(MASK);
    return result;
  }

  /** Masks the next piece of a stream; returns what can be shown now. */
  push(chunk: string): string {
    if (!this.active) return chunk;
    const text = this.mask(this.carry + chunk);
    const keep = Math.min(this.holdBack, text.length);
    this.carry = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** Whatever was held back, at the end of the stream. */
  flush(): string {
    const rest = this.mask(this.carry);
    this.carry = '';
    return rest;
  }
}
