// `npm test`: set-up, lint, type check, unit tests (the CLI, and CI exports on a real local GitLab
// engine among them), the alert bridge against a real Alertmanager, the integration suite inside a
// real VS Code (code-server), then browser tests that click through the workbench with Playwright. Every stage runs even when an earlier one fails; the last line is
// `tests: N passed, N failed[, N skipped]`.
import { spawn } from 'node:child_process';
import { BROWSER_PACKAGES, BUILD_PACKAGES, ensureCodeServer, ensureDebianPackages } from './provision.mjs';

const bin = (name) => `node_modules/.bin/${name}`;

/** Each stage: a command, and whether its output is a mocha run whose counts we add up. */
const stages = [
  { name: 'lint', command: [bin('eslint'), '.'] },
  { name: 'type check', command: [bin('tsc'), '--noEmit', '-p', '.'] },
  { name: 'type check (webview)', command: [bin('tsc'), '--noEmit', '-p', 'src/webview'] },
  { name: 'type check (browser tests)', command: [bin('tsc'), '--noEmit', '-p', 'test/e2e'] },
  { name: 'build', command: ['node', 'scripts/build.mjs'] },
  { name: 'unit', command: [bin('mocha')], mocha: true },
  { name: 'bridge (Alertmanager)', command: [bin('mocha'), '--config', 'test/bridge/.mocharc.json'], mocha: true, needs: 'build' },
  { name: 'integration (code-server)', command: ['node', 'test/host/run-code-server.mjs'], mocha: true, needs: 'build' },
  { name: 'integration, untrusted', command: ['node', 'test/host/run-code-server.mjs', '--untrusted'], mocha: true, needs: 'build' },
  { name: 'integration, no folder', command: ['node', 'test/host/run-code-server.mjs', '--no-folder'], mocha: true, needs: 'build' },
  { name: 'integration, multi-root', command: ['node', 'test/host/run-code-server.mjs', '--multi-root'], mocha: true, needs: 'build' },
  { name: 'browser (Playwright)', command: [bin('mocha'), '--config', 'test/e2e/.mocharc.json'], mocha: true, needs: 'build' },
];

function run([command, ...args]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    const tee = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('error', (error) => resolve({ code: 1, output: `${output}\n${error.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function mochaCounts(output) {
  // Only the summary block at the end counts: earlier "N passing" text could be test output.
  const count = (word) => {
    const matches = [...output.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return matches.length ? Number(matches[matches.length - 1][1]) : 0;
  };
  return { passed: count('passing'), failed: count('failing'), skipped: count('pending') };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const report = [];
const failedStages = new Set();

try {
  ensureDebianPackages([...BUILD_PACKAGES, ...BROWSER_PACKAGES]);
  ensureCodeServer();
} catch (error) {
  console.error(`Set-up failed: ${error.message}`);
  report.push(['set-up', 'failed']);
  totals.failed++;
  failedStages.add('set-up');
}

for (const stage of stages) {
  if (stage.needs && failedStages.has(stage.needs)) {
    report.push([stage.name, `not run (${stage.needs} failed)`]);
    totals.failed++;
    continue;
  }
  console.log(`\n=== ${stage.name}: ${stage.command.join(' ')}`);
  const started = Date.now();
  const { code, output } = await run(stage.command);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (stage.mocha) {
    const counts = mochaCounts(output);
    // A run that crashed before mocha's summary still counts as a failure.
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    report.push([stage.name, `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${seconds}s)`]);
  } else {
    if (code === 0) totals.passed++;
    else totals.failed++;
    report.push([stage.name, `${code === 0 ? 'passed' : 'failed'} (${seconds}s)`]);
  }
  if (code !== 0) failedStages.add(stage.name);
}

console.log('\n=== summary (lint, type check and build count as one test each)');
for (const [name, result] of report) console.log(`  ${name.padEnd(28)} ${result}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || failedStages.size > 0 ? 1 : 0);
