// Entry point VS Code loads as `extensionTestsPath`: runs every *.test.js beside it with mocha.

import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

export async function run(): Promise<void> {
  // Reporters print through Base.consoleLog; tag each line so the harness can find it in the
  // page's console, where extension-host output arrives mixed with the workbench's own logs.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) console.log(`[runbooks-test] ${line}`);
  };

  // The harness runs the suite in passes: trusted (everything but the other passes' tests),
  // untrusted (the `untrusted workspace` tests), no-folder (the `no folder open` tests) and
  // multi-root (the `multi-root workspace` tests).
  const pass = process.env.RUNBOOKS_TEST_PASS ?? 'trusted';
  const passes: Record<string, RegExp> = { untrusted: /untrusted workspace/, 'no-folder': /no folder open/, 'multi-root': /multi-root workspace/ };
  const grep = passes[pass] ?? /untrusted workspace|no folder open|multi-root workspace/;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec', grep, invert: pass === 'trusted' });
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(join(__dirname, file));
  let total = 0;
  const failures = await new Promise<number>((resolve) => {
    total = mocha.run(resolve).total;
  });
  // A pass whose tests were renamed away would otherwise pass having run nothing.
  if (total === 0) throw new Error(`No integration test belongs to the ${pass} pass.`);
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
}
