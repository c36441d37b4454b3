// Keeps the newest `limit` bytes of a step's output for display, counting what it dropped, so a
// step that prints gigabytes costs bounded memory.

export const DEFAULT_OUTPUT_LIMIT = 2 * 1024 * 1024;

export class OutputBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes seen in all, kept or dropped. */
  total = 0;

  constructor(private readonly limit = DEFAULT_OUTPUT_LIMIT) {}

  get dropped(): number {
    return this.total - this.size;
  }

  append(chunk: Buffer): void {
    this.total += chunk.length;
    if (chunk.length >= this.limit) {
      this.chunks = [chunk.subarray(chunk.length - this.limit)];
      this.size = this.limit;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit) {
      const first = this.chunks[0];
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  /** The kept bytes as text; a character cut in half at the front is dropped. */
  text(): string {
    const text = Buffer.concat(this.chunks, this.size).toString('utf8');
    return this.dropped > 0 ? text.replace(/^\uFFFD+/, '') : text;
  }
}
