// The insights row as its own process (bench/run.ts bundles this to out/bench/insights.js and runs
// it like the cases in cases.ts): prints one `BENCH_RESULT <json>` line with the rows.

import { insightsRows } from './insights';

insightsRows().then(
  (rows) => {
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(rows)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
