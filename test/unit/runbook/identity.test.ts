import { strict as assert } from 'node:assert';
import type { Runbook } from '../../../src/core/runbook';
import { md, parse } from './helpers';

const idOf = (runbook: Runbook, code: string): string => {
  const step = runbook.steps.find((s) => s.code === code);
  assert.ok(step, `no step with code ${JSON.stringify(code)}`);
  return step.id;
};

const manualIdOf = (runbook: Runbook, title: string): string => {
  const step = runbook.manualSteps.find((s) => s.title === title);
  assert.ok(step, `no manual step ${title}`);
  return step.id;
};

describe('runbook step identity', () => {
  const base = md(
    '---',
    'title: Restart',
    '---',
    '# Restart',
    '',
    'Scale down first.',
    '',
    '```bash',
    'kubectl scale deploy/api --replicas=0',
    '```',
    '',
    '## Verify',
    '',
    'Check the pods.',
    '',
    '```bash',
    'kubectl get pods',
    '```',
    '',
    '```sh',
    'curl -f http://api/health',
    '```',
    '',
    '- [ ] Tell the team',
    '',
  );
  const original = parse(base);

  it('gives hash ids prefixed with the section slug', () => {
    assert.match(idOf(original, 'kubectl scale deploy/api --replicas=0'), /^restart-[0-9a-f]{8}$/);
    assert.match(idOf(original, 'kubectl get pods'), /^verify-[0-9a-f]{8}$/);
    assert.match(manualIdOf(original, 'Tell the team'), /^verify-[0-9a-f]{8}$/);
    assert.match(parse(md('```bash', 'ls', '```')).steps[0].id, /^[0-9a-f]{8}$/);
  });

  it('keeps ids when the prose around a step changes', () => {
    const edited = parse(
      base
        .replace('Scale down first.', 'Before anything else, scale the API down to zero. It takes a minute.')
        .replace('Check the pods.', 'Now look at the pods and make sure none is left.\n\nA second paragraph.'),
    );
    for (const code of ['kubectl scale deploy/api --replicas=0', 'kubectl get pods', 'curl -f http://api/health']) {
      assert.equal(idOf(edited, code), idOf(original, code), code);
    }
    assert.notEqual(edited.steps[0].title, original.steps[0].title, 'the title does follow the prose');
  });

  it('keeps ids when a step moves within its section', () => {
    const moved = parse(
      md('# Restart', '```bash', 'kubectl scale deploy/api --replicas=0', '```', '## Verify', '```sh', 'curl -f http://api/health', '```', '', '- [ ] Tell the team', '', 'Moved.', '```bash', 'kubectl get pods', '```'),
    );
    for (const code of ['kubectl scale deploy/api --replicas=0', 'kubectl get pods', 'curl -f http://api/health']) {
      assert.equal(idOf(moved, code), idOf(original, code), code);
    }
    assert.equal(manualIdOf(moved, 'Tell the team'), manualIdOf(original, 'Tell the team'));
  });

  it('keeps ids when the file changes elsewhere', () => {
    const edited = parse(
      md(
        '---',
        'title: Restart the API',
        'owner: team',
        'timeout: 5m',
        '---',
        '# Restart',
        '',
        '```yaml',
        'added: config',
        '```',
        '',
        '```bash',
        'kubectl scale deploy/api --replicas=0',
        '```',
        '',
        '## Prepare',
        '',
        '```bash',
        'echo a new step in another section',
        '```',
        '',
        '## Verify',
        '',
        '```bash',
        'kubectl get pods',
        '```',
        '```sh',
        'curl -f http://api/health',
        '```',
        '- [ ] Tell the team',
        '## Appendix',
        '```bash',
        'kubectl get pods',
        '```',
      ),
    );
    for (const code of ['kubectl scale deploy/api --replicas=0', 'curl -f http://api/health']) {
      assert.equal(idOf(edited, code), idOf(original, code), code);
    }
    assert.equal(edited.steps.find((s) => s.sectionPath.at(-1) === 'Verify' && s.code === 'kubectl get pods')?.id, idOf(original, 'kubectl get pods'));
    assert.equal(manualIdOf(edited, 'Tell the team'), manualIdOf(original, 'Tell the team'));
  });

  it('gives a new id when a step code changes', () => {
    const edited = parse(base.replace('kubectl get pods', 'kubectl get pods -o wide'));
    assert.notEqual(idOf(edited, 'kubectl get pods -o wide'), idOf(original, 'kubectl get pods'));
    assert.equal(idOf(edited, 'curl -f http://api/health'), idOf(original, 'curl -f http://api/health'));
  });

  it('ignores trailing whitespace and trailing blank lines in the code', () => {
    const edited = parse(base.replace('kubectl get pods\n', 'kubectl get pods   \n\n\n'));
    assert.equal(edited.steps[1].id, idOf(original, 'kubectl get pods'));
  });

  it('gives the same code a different id in another section', () => {
    const runbook = parse(md('# A', '```bash', 'ls', '```', '# B', '```bash', 'ls', '```'));
    assert.notEqual(runbook.steps[0].id, runbook.steps[1].id);
    assert.equal(runbook.steps[0].id.slice(2), runbook.steps[1].id.slice(2), 'same hash, different section');
  });

  it('lets the name win over section and code', () => {
    const a = parse(md('# A', '```bash {name=restart-api}', 'ls', '```'));
    const b = parse(md('# B', 'Other prose.', '```python {name=restart-api}', 'print("different")', '```'));
    assert.equal(a.steps[0].id, 'restart-api');
    assert.equal(b.steps[0].id, 'restart-api');
  });

  it('gives identical code blocks in one section unique ids, in order', () => {
    const runbook = parse(md('# S', '```bash', 'ls', '```', 'text', '```bash', 'ls', '```', '```bash', 'ls  ', '```'));
    const ids = runbook.steps.map((s) => s.id);
    assert.equal(new Set(ids).size, 3);
    assert.deepEqual(ids.slice(1), [`${ids[0]}-2`, `${ids[0]}-3`]);
  });

  it('keeps a transcript id when only its output lines change', () => {
    const a = parse(md('```console', '$ kubectl get ns', 'NAME STATUS', 'default Active', '```'));
    const b = parse(md('```console', '$ kubectl get ns', 'NAME STATUS AGE', 'kube-system Active 3d', '```'));
    assert.equal(a.steps[0].id, b.steps[0].id);
    const c = parse(md('```console', '$ kubectl get ns -A', 'NAME STATUS', '```'));
    assert.notEqual(c.steps[0].id, a.steps[0].id);
  });

  it('keeps a manual step id when it is checked off in the file', () => {
    const checked = parse(base.replace('- [ ] Tell the team', '- [x] Tell the team'));
    assert.equal(manualIdOf(checked, 'Tell the team'), manualIdOf(original, 'Tell the team'));
    const reworded = parse(base.replace('- [ ] Tell the team', '- [ ] Tell the whole team'));
    assert.notEqual(manualIdOf(reworded, 'Tell the whole team'), manualIdOf(original, 'Tell the team'));
  });

  it('gives identical manual steps in one section unique ids', () => {
    const runbook = parse(md('# S', '- [ ] Wait', '- [ ] Wait'));
    const [a, b] = runbook.manualSteps.map((s) => s.id);
    assert.equal(b, `${a}-2`);
  });

  it('is deterministic', () => {
    assert.deepEqual(parse(base), original);
  });
});
