// The in-process benchmarks, as bench/run.ts runs them: bundled and minified by esbuild like the
// production build (so the code measured is the code that ships, not tsx's per-file transform),
// each in a fresh Node process. Prints one `BENCH_RESULT <json>` line.
//   node out/bench/cases.js markdown <project root>
//   node out/bench/cases.js trivial-step
//   node --expose-gc out/bench/cases.js stream <ours|raw> <bytes>
//   node out/bench/cases.js bridge
//   node out/bench/cases.js cold-run <dist/cli.js> | check-corpus <dist/cli.js> <corpus> <markdown-it> | discovery

import { corpusRows, generatedRows, refreshRow } from './markdown';
import { streamOnce, trivialStep } from './process';
import { bridgeClient, bridgeLoad } from './bridge';
import { checkCorpus, coldRun, discovery } from './cli';

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
    case 'bridge':
      return bridgeLoad();
    case 'bridge-client':
      return bridgeClient(args[0], args[1]);
    case 'cold-run':
      return coldRun(args[0]);
    case 'check-corpus':
      return checkCorpus(args[0], args[1], args[2]) ?? null;
    case 'discovery':
      return discovery();
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
