// Concurrency-test writer: appends <count> history entries (ten at a time) once told to go on stdin.
// Prints `ready` when waiting for `go`.
// Usage: historyWriter.ts <file> <writer> <count>

import { HistoryLog } from '../../../../src/core/progress';
import { entryFor } from './historyEntries';

async function main(): Promise<void> {
  const [file, writer, countText] = process.argv.slice(2);
  const count = Number(countText);
  const log = new HistoryLog(file);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    let input = '';
    process.stdin.on('data', (chunk: Buffer) => {
      input += chunk.toString();
      if (input.includes('go')) resolve();
    });
  });
  for (let seq = 0; seq < count; seq += 10) {
    const batch: Promise<void>[] = [];
    for (let i = seq; i < Math.min(count, seq + 10); i++) batch.push(log.append(entryFor(writer, i)));
    await Promise.all(batch);
  }
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
