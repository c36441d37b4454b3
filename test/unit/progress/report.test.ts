// The run report: Markdown for an incident ticket, secrets masked, titles escaped, safe fences.

import { strict as assert } from 'node:assert';
import MarkdownIt from 'markdown-it';
import {
  codeSpan,
  emptyProgress,
  escapeMarkdownInline,
  fenceFor,
  recordManual,
  recordResult,
  recordSkip,
  recordStart,
  renderRunReport,
  type RunbookProgress,
} from '../../../src/core/progress';
import { drainStep, fence, manual, md, parse, result, sample, step } from './helpers';

const NOW = Date.UTC(2025, 4, 6, 7, 8, 9);
const T0 = Date.UTC(2025, 4, 6, 7, 0, 0);

describe('run report', () => {
  const runbook = sample();
  const check = step(runbook, 'check');
  const health = step(runbook, 'health');
  const drain = drainStep(runbook);
  const page = manual(runbook, 'Page the on-call');
  const tell = manual(runbook, 'Tell the channel');

  function progress(): RunbookProgress {
    let p = recordResult(emptyProgress(), check, result('check', { startedAt: T0, durationMs: 1500, output: 'NAME READY\napi-1 1/1\n' }));
    p = recordManual(p, page, true, T0 + 2000);
    p = recordResult(p, drain, result(drain.id, { status: 'failed', exitCode: 2, startedAt: T0 + 3000, durationMs: 65_000, output: 'error: cannot drain\n' }));
    p = recordResult(p, health, result('health', { status: 'timed-out', exitCode: undefined, startedAt: T0 + 70_000, durationMs: 120_000, output: 'token tok-SECRET-1 rejected ```oops```\n', message: 'timed out after 2m' }));
    return p;
  }

  const render = (p: RunbookProgress, inputs: Record<string, string> = { NAMESPACE: 'payments', API_TOKEN: 'tok-SECRET-1' }): string =>
    renderRunReport({ runbook, runbookPath: 'runbooks/restart.md', progress: p, inputs, secretNames: new Set(), now: NOW });

  it('has the title, path, environment, time, summary and an inputs table with secrets masked', () => {
    const report = render(progress());
    assert.ok(report.startsWith('# Run report: Restart the payments API\n'), report);
    assert.ok(report.includes('**Runbook:** `runbooks/restart.md`'));
    assert.ok(report.includes('**Environment:** production'));
    assert.ok(report.includes(`**Generated:** ${new Date(NOW).toISOString()}`));
    assert.ok(report.includes('**Summary:** 2/5 done, 2 failed'), report);
    assert.ok(report.includes('| Input | Value |'));
    assert.ok(report.includes('| `NAMESPACE` | `payments` |'));
    assert.ok(report.includes('| `API_TOKEN` | •••• |'), report);
    assert.equal(report.includes('tok-SECRET-1'), false, 'a secret value appears nowhere, not even in an output tail');
  });

  it('lists every item in document order with state, timing, message and output', () => {
    const report = render(progress());
    const order = ['### Restart › Prepare', '**check** — ✅ passed', '- [x] Page the on-call (checked at', '— ❌ failed (exit 2)', '### Restart › Verify', '**rollback** — ○ pending', '**health** — ⏱ timed out', '- [ ] Tell the channel'];
    let at = -1;
    for (const piece of order) {
      const found = report.indexOf(piece, at + 1);
      assert.ok(found > at, `"${piece}" should come after the previous piece:\n${report}`);
      at = found;
    }
    assert.ok(report.includes(`Started at: ${new Date(T0).toISOString()}`));
    assert.ok(report.includes('Duration: 1.5s'));
    assert.ok(report.includes('Duration: 1m 5s'));
    assert.ok(report.includes('Message: timed out after 2m'));
    assert.ok(report.includes('```text\nNAME READY\napi-1 1/1\n```'), report);
    assert.ok(report.includes(`(checked at ${new Date(T0 + 2000).toISOString()})`));
  });

  it('uses a fence longer than any backtick run in the output, so the block cannot be closed early', () => {
    const report = render(progress());
    assert.ok(report.includes('````text\ntoken •••• rejected ```oops```\n````'), report);
    assert.equal(fenceFor('a ````` b'), '``````');
    assert.equal(fenceFor('plain'), '```');
    // Rendered, the output stays one code block.
    const html = new MarkdownIt().render(report);
    assert.ok(html.includes('<code class="language-text">token •••• rejected ```oops```\n</code>'), html);
  });

  it('shows skipped, cancelled, running, stale and pending steps and skipped manual steps', () => {
    let p = recordSkip(emptyProgress(), check, T0);
    p = recordResult(p, drain, result(drain.id, { status: 'cancelled', exitCode: undefined, signal: 'SIGTERM' }));
    p = recordStart(p, health, T0);
    p = recordSkip(p, tell, T0 + 1);
    let report = render(p);
    assert.ok(report.includes('**check** — ⏭ skipped'));
    assert.ok(report.includes(`Skipped at: ${new Date(T0).toISOString()}`));
    assert.ok(report.includes('— ⏹ cancelled'));
    assert.ok(report.includes('**health** — ⏳ running'));
    assert.ok(report.includes('- [ ] Tell the channel (⏭ skipped at'));
    assert.ok(report.includes('- [ ] Page the on-call\n'));
    assert.ok(report.includes('running: health'));

    const edited = sample({ checkCode: 'kubectl get pods -A' });
    const passed = recordResult(emptyProgress(), check, result('check'));
    report = renderRunReport({ runbook: edited, runbookPath: 'r.md', progress: passed, inputs: {}, secretNames: new Set(), now: NOW });
    assert.ok(report.includes('**check** — ⚠ stale (the code changed since it ran; then: ✅ passed)'), report);
    assert.ok(report.includes('1 stale'));
    assert.ok(report.includes('| `API_TOKEN` | *(not set)* |'), 'a declared input without a value says so');
  });

  it('masks inputs named in secretNames, strips colour codes and escapes titles', () => {
    const tricky = parse(
      md(
        '---',
        'title: "Fix | the *thing* <b>now</b>"',
        '---',
        '# Fix',
        '',
        'Print [the] value.',
        '',
        fence('bash {name=print}', 'echo "$PASSWORD"'),
        '',
        '- [ ] Close | the ticket',
      ),
    );
    let p = recordResult(emptyProgress(), step(tricky, 'print'), result('print', { output: '\u001b[31mred hunter2-pass\u001b[0m\nprogress 10%\rprogress 100%\n' }));
    p = recordManual(p, manual(tricky, 'Close | the ticket'), true, T0);
    const report = renderRunReport({ runbook: tricky, runbookPath: 'a|b.md', progress: p, inputs: { PASSWORD: 'hunter2-pass', 'WEIRD|NAME': 'x|y' }, secretNames: new Set(['PASSWORD']), now: NOW });
    assert.ok(report.startsWith('# Run report: Fix \\| the \\*thing\\* \\<b\\>now\\</b\\>\n'), report);
    assert.ok(report.includes('| `PASSWORD` | •••• |'));
    assert.ok(report.includes('| `WEIRD\\|NAME` | `x\\|y` |'), report);
    assert.ok(report.includes('**Runbook:** `a|b.md`'));
    assert.ok(report.includes('```text\nred ••••\nprogress 100%\n```'), report);
    assert.ok(report.includes('- [x] Close \\| the ticket (checked at'));
    assert.equal(report.includes('hunter2-pass'), false);
    // The tables render as two columns: the escaped pipes are not cell breaks.
    const html = new MarkdownIt().render(report);
    assert.ok(html.includes('<td><code>WEIRD|NAME</code></td>\n<td><code>x|y</code></td>'), html);
  });

  it('a runbook with nothing run yet reports every step pending', () => {
    const report = render(emptyProgress(), {});
    assert.ok(report.includes('**Summary:** 0/5 done'));
    assert.equal((report.match(/○ pending/g) ?? []).length, 4);
    assert.equal(report.includes('Started at'), false);
    assert.ok(report.endsWith('- [ ] Tell the channel\n'));
  });

  it('codeSpan survives backticks and pipes', () => {
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x`'), '`` `x` ``');
    assert.equal(codeSpan('a|b', true), '`a\\|b`');
    assert.equal(new MarkdownIt().renderInline(codeSpan('`x`')), '<code>`x`</code>');
  });

  it('escapeMarkdownInline leaves ordinary text readable', () => {
    assert.equal(escapeMarkdownInline('Restart the API (carefully), then wait.'), 'Restart the API (carefully), then wait.');
    assert.equal(escapeMarkdownInline('# not a heading'), '\\# not a heading');
    assert.equal(escapeMarkdownInline('1. not a list'), '1\\. not a list');
    assert.equal(escapeMarkdownInline('two\nlines'), 'two lines');
  });
});
