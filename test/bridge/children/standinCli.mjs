#!/usr/bin/env node
// Stands in for `runbook` in the local-run tests: records how it was started (argv, cwd, the
// environment variables the test asks about) as one JSON line in $STANDIN_RECORD, prints a JSONL
// event like the real reporter, and exits with $STANDIN_EXIT (default 0).
import fs from 'node:fs';
const record = {
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: Object.fromEntries((process.env.STANDIN_ENV_NAMES || '').split(',').filter(Boolean).map((name) => [name, process.env[name] ?? null])),
};
fs.appendFileSync(process.env.STANDIN_RECORD, `${JSON.stringify(record)}\n`);
process.stdout.write(`${JSON.stringify({ type: 'run-end', status: 'passed' })}\n`);
process.exit(Number(process.env.STANDIN_EXIT || 0));
