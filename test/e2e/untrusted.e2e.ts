import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { quickOpen, ROOT, runCommand, useWorkbench, webviewFrame } from './workbench';

describe('preview in an untrusted workspace', function () {
  const workbench = useWorkbench(join(ROOT, 'test/fixtures/workspace'), { trusted: false });

  it('shows the runbook but turns the run buttons off, saying why', async () => {
    const { page } = workbench;
    await quickOpen(page, 'run.runbook.md');
    await runCommand(page, 'Runbooks: Open Preview to the Side');
    const frame = await webviewFrame(page, '.step[data-step-id="hello"]');
    assert.match((await frame.locator('.trust-banner').textContent()) ?? '', /trusted workspace/);
    const run = frame.locator('.step[data-step-id="hello"] [data-action="run"]');
    assert.equal(await run.isDisabled(), true);
    assert.match((await run.getAttribute('title')) ?? '', /trusted workspace/);
    assert.equal(await frame.locator('#run-all').isDisabled(), true);
  });
});
