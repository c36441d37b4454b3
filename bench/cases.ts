// The in-process benchmarks, as bench/run.ts runs them: bundled and minified by esbuild like the
// production build (so the code measured is the code that ships, not tsx's per-file transform),
// each in a fresh Node process. Prints one `BENCH_RESULT <json>` line.
//   node out/bench/cases.js markdown <project root>
//   node out/bench/cases.js trivial-step
//   node --expose-gc out/bench/cases.js stream <ours|raw> <bytes>

import { corpusRows, generatedRows, refreshRow } from './markdown';
import { streamOnce, trivialStep } from './process';

async function main(): Promise<unknown> {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'markdown':
      return [...(await generatedRows()), ...(await corpusRows(args[0])), await refreshRow()];
    case 'trivial-step':
      return trivialStep();
    case 'stream':
      if (args[0] !== 'ours' && args[0] !== 'raw') throw new Error('stream needs "ours" or "raw"');
      return streamOnce(args[0], Number(args[1]));
    default:
      throw new Error(`Unknown bench case "${command}".`);
  }
}

main().then(
  (result) => {
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
    // Steps leave nothing running, but a stray handle must not keep the case alive.
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
