// The bridge as its own process, as `runbook bridge --config FILE` runs it (the tests kill it with
// SIGKILL to check that a crash never leads to a second dispatch). Prints the listening line.
import { runBridge } from '../../../src/cli/bridge';

runBridge(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
