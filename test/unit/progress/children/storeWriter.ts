// Crash-test writer: continues from the stored state n and saves n+1, n+2, … as fast as it can
// until it is killed. Prints `ready` after its first save.
// Usage: storeWriter.ts <file> <key>

import { ProgressStore } from '../../../../src/core/progress';
import { bigState } from './bigState';

async function main(): Promise<void> {
  const [file, key] = process.argv.slice(2);
  const store = new ProgressStore(file, { onWarning: (message) => process.stderr.write(`warning: ${message}\n`) });
  await store.load();
  let n = store.get(key).lastRunAt ?? 0;
  let announced = false;
  for (;;) {
    n++;
    await store.update(key, () => bigState(n));
    if (!announced) {
      process.stdout.write('ready\n');
      announced = true;
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
