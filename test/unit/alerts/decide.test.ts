import { strict as assert } from 'node:assert';
import { breakerOpen, decidePayload, emptyBridgeState, fillInputs, HOUR_MS, type BridgeState } from '../../../src/core/alerts';
import { alert, catalogOf, context, md, payloadOf, queueRunbook } from './helpers';

const RUNBOOK = 'runbooks/requeue.runbook.md';

function decideOne(catalog = catalogOf({ [RUNBOOK]: queueRunbook('QueueStuck') }), firing = alert('QueueStuck', { queue: 'emails' }), overrides = {}) {
  return decidePayload(payloadOf(firing), context(catalog, overrides));
}

describe('alert → runbook matching', () => {
  it('finds the runbook by alert name and fills its inputs from labels', () => {
    const { decisions } = decideOne();
    assert.equal(decisions.length, 1);
    const [decision] = decisions;
    assert.equal(decision.runbook, RUNBOOK);
    assert.equal(decision.matchedBy, 'alerts');
    assert.deepEqual(decision.inputs, { QUEUE: 'emails' });
    assert.equal(decision.outcome, 'dispatch');
    assert.equal(decision.correlationId, 'corr-1');
  });

  it('honours label matchers: a value, or one of a list', () => {
    const catalog = catalogOf({ [RUNBOOK]: queueRunbook('QueueStuck', ['automation: auto'], ['    match: { severity: [warning, critical], team: ops }', '    inputs: { QUEUE: "{{ labels.queue }}" }']) });
    assert.equal(decideOne(catalog, alert('QueueStuck', { queue: 'mails', severity: 'critical', team: 'ops' })).decisions[0].outcome, 'dispatch');
    const info = decideOne(catalog, alert('QueueStuck', { queue: 'mails', severity: 'info', team: 'ops' })).decisions[0];
    assert.equal(info.outcome, 'unmatched');
    assert.match(info.reason, /do not fit the match/);
    assert.equal(decideOne(catalog, alert('QueueStuck', { queue: 'mails', severity: 'warning' })).decisions[0].outcome, 'unmatched');
  });

  it('finds a runbook by runbook_url through the URL prefixes, case and extension aside', () => {
    const catalog = catalogOf({
      'runbooks/node/NodeDiskFull.md': md('---', 'automation: auto', '---', '# Disk full', '', '```bash', 'df -h', '```'),
    });
    const decision = decideOne(catalog, alert('NodeFilesystemAlmostOutOfSpace', {}, { annotations: { runbook_url: 'https://runbooks.example.com/runbooks/node/nodediskfull/' } })).decisions[0];
    assert.equal(decision.runbook, 'runbooks/node/NodeDiskFull.md');
    assert.equal(decision.matchedBy, 'runbook_url');
    assert.equal(decision.outcome, 'dispatch');
    const elsewhere = decideOne(catalog, alert('X', {}, { annotations: { runbook_url: 'https://other.example.com/runbooks/node/nodediskfull' } })).decisions[0];
    assert.equal(elsewhere.outcome, 'unmatched');
    assert.match(elsewhere.reason, /names no runbook/);
  });

  it('logs unknown alerts as unmatched, with the reason', () => {
    const decision = decideOne(undefined, alert('SomethingElse')).decisions[0];
    assert.equal(decision.outcome, 'unmatched');
    assert.equal(decision.rule, 'no-runbook');
    assert.match(decision.reason, /no runbook has SomethingElse/);
  });

  it('refuses to choose between two runbooks unless runbook_url names one', () => {
    const catalog = catalogOf({ 'runbooks/a.md': queueRunbook('QueueStuck'), 'runbooks/b.md': queueRunbook('QueueStuck') });
    const ambiguous = decideOne(catalog).decisions[0];
    assert.equal(ambiguous.outcome, 'rejected');
    assert.equal(ambiguous.rule, 'ambiguous');
    const named = decideOne(catalog, alert('QueueStuck', { queue: 'q1' }, { annotations: { runbook_url: 'https://runbooks.example.com/runbooks/b' } })).decisions[0];
    assert.equal(named.runbook, 'runbooks/b.md');
    assert.equal(named.outcome, 'dispatch');
  });
});

describe('alert inputs', () => {
  const catalog = catalogOf({
    [RUNBOOK]: queueRunbook('QueueStuck', ['automation: auto'], ['    inputs:', '      QUEUE: "{{ labels.queue }}"', '      MODE: "{{ labels.mode }}"', '      LIMIT: "{{ annotations.limit }}"']),
  });
  const entry = catalog.get(RUNBOOK)!;
  const rule = entry.alerts.rules[0];

  it('are checked by the input rules: pattern, choices, range', () => {
    assert.deepEqual(fillInputs(entry, rule, alert('QueueStuck', { queue: 'emails', mode: 'hard' }, { annotations: { limit: '7' } })), { ok: true, inputs: { QUEUE: 'emails', MODE: 'hard', LIMIT: '7' } });
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ queue: '$(touch /tmp/pwned)', mode: 'hard' }, '7', /QUEUE is refused: does not match the pattern/],
      [{ queue: 'emails', mode: 'brutal' }, '7', /MODE is refused: must be one of gentle, hard/],
      [{ queue: 'emails', mode: 'hard' }, '500', /LIMIT is refused: 500 is above the maximum 50/],
      [{ queue: 'emails', mode: 'hard' }, 'many', /not a number/],
      [{ mode: 'hard' }, '7', /QUEUE needs labels\.queue, which the alert does not have/],
    ];
    for (const [labels, limit, reason] of cases) {
      const filled = fillInputs(entry, rule, alert('QueueStuck', labels, { annotations: { limit } }));
      assert.equal(filled.ok, false, JSON.stringify(labels));
      assert.match((filled as { reason: string }).reason, reason);
    }
  });

  it('a rejected value is never dispatched, and the decision says why', () => {
    const decision = decideOne(catalog, alert('QueueStuck', { queue: 'Emails; rm -rf /', mode: 'hard' }, { annotations: { limit: '1' } })).decisions[0];
    assert.equal(decision.outcome, 'rejected');
    assert.equal(decision.rule, 'invalid-input');
    assert.equal(decision.correlationId, undefined);
    assert.equal(decision.inputs, undefined);
    assert.match(decision.reason, /"Emails; rm -rf \/" for QUEUE is refused/);
  });

  it('never sets secret or reserved variables, nor inputs the runbook does not have', () => {
    const runbook = md(
      '---',
      'automation: auto',
      'inputs:',
      '  TOKEN: { secret: true, description: t }',
      'alerts:',
      '  A: { inputs: { TOKEN: "{{ labels.t }}" } }',
      '  B: { inputs: { BASH_ENV: "{{ labels.t }}" } }',
      '  C: { inputs: { NOPE: "{{ labels.t }}" } }',
      '---',
      '# X',
      '```bash',
      'curl -H "$TOKEN" https://example.com',
      '```',
    );
    const secretCatalog = catalogOf({ [RUNBOOK]: runbook });
    const reasons = ['A', 'B', 'C'].map((name) => decideOne(secretCatalog, alert(name, { t: 'x' })).decisions[0]);
    assert.deepEqual(reasons.map((d) => d.outcome), ['rejected', 'rejected', 'rejected']);
    assert.match(reasons[0].reason, /secret input/);
    assert.match(reasons[1].reason, /controls the interpreter/);
    assert.match(reasons[2].reason, /not an input of this runbook/);
  });

  it('fill implicit inputs (placeholders), and reject when a needed input stays empty', () => {
    const runbook = md('---', 'automation: auto', 'alerts:', '  PodDown: { inputs: { POD_NAME: "{{ labels.pod }}" } }', '  Other:', '---', '# X', '```bash', 'kubectl delete pod <pod-name>', '```');
    const implicitCatalog = catalogOf({ [RUNBOOK]: runbook });
    const filled = decideOne(implicitCatalog, alert('PodDown', { pod: 'api-1' })).decisions[0];
    assert.deepEqual(filled.inputs, { POD_NAME: 'api-1' });
    assert.equal(filled.outcome, 'dispatch');
    const unfilled = decideOne(implicitCatalog, alert('Other')).decisions[0];
    assert.equal(unfilled.outcome, 'rejected');
    assert.match(unfilled.reason, /needs POD_NAME/);
  });
});

describe('dispatch policy', () => {
  const catalog = catalogOf({ [RUNBOOK]: queueRunbook('QueueStuck') });
  const now = Date.parse('2026-01-01T00:05:00Z');

  it('ignores resolved alerts', () => {
    const { decisions } = decideOne(catalog, alert('QueueStuck', { queue: 'emails' }, { status: 'resolved' }));
    assert.equal(decisions[0].outcome, 'ignored');
    assert.equal(decisions[0].rule, 'resolved');
    assert.equal(decisions[0].correlationId, undefined);
  });

  it('drops a repeat of the same firing (fingerprint + startsAt) until the dedup time passes', () => {
    const first = decideOne(catalog);
    const again = decidePayload(payloadOf(alert('QueueStuck', { queue: 'emails' })), context(catalog, { state: first.state, now: now + 60_000 }));
    assert.equal(again.decisions[0].outcome, 'deduplicated');
    assert.equal(again.decisions[0].rule, 'duplicate');
    // The same alert firing again later (a new startsAt) is a new firing, but within the cool-down.
    const refired = decidePayload(payloadOf(alert('QueueStuck', { queue: 'emails' }, { startsAt: '2026-01-01T00:06:00Z' })), context(catalog, { state: first.state, now: now + 60_000 }));
    assert.equal(refired.decisions[0].rule, 'cooldown');
    // After the dedup time the key is forgotten (and after the cool-down it runs again).
    const later = decidePayload(payloadOf(alert('QueueStuck', { queue: 'emails' })), context(catalog, { state: first.state, now: now + HOUR_MS + 1 }));
    assert.equal(later.decisions[0].outcome, 'dispatch');
  });

  it('cools down per runbook and inputs, not per alert', () => {
    const first = decideOne(catalog);
    const other = decidePayload(payloadOf(alert('QueueStuck', { queue: 'invoices' })), context(catalog, { state: first.state, now: now + 1000 }));
    assert.equal(other.decisions[0].outcome, 'dispatch', 'other inputs are another target');
    const same = decidePayload(payloadOf(alert('QueueStuck', { queue: 'emails', pod: 'another' }, { fingerprint: 'fp-2' })), context(catalog, { state: other.state, now: now + 2000 }));
    assert.equal(same.decisions[0].outcome, 'deduplicated');
    assert.equal(same.decisions[0].rule, 'cooldown');
    assert.match(same.decisions[0].reason, /started 2 s ago/);
  });

  it('dispatches once for alerts of one group that start the same target', () => {
    const { decisions } = decidePayload(payloadOf(alert('QueueStuck', { queue: 'emails', pod: 'a' }), alert('QueueStuck', { queue: 'emails', pod: 'b' }), alert('QueueStuck', { queue: 'sms', pod: 'c' })), context(catalog, { policy: { dedupTtlMs: HOUR_MS, cooldownMs: 0, maxRunsPerHour: 10 } }));
    assert.deepEqual(decisions.map((d) => `${d.outcome}/${d.rule}`), ['dispatch/ok', 'deduplicated/same-target', 'dispatch/ok']);
  });

  it('opens the breaker after N runs an hour: then only notifies, and closes as the hour passes', () => {
    let state: BridgeState = emptyBridgeState();
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = decidePayload(payloadOf(alert('QueueStuck', { queue: `queue-${i}` })), context(catalog, { state, now: now + i * 1000 }));
      state = result.state;
      outcomes.push(`${result.decisions[0].outcome}/${result.decisions[0].rule}`);
    }
    assert.deepEqual(outcomes, ['dispatch/ok', 'dispatch/ok', 'dispatch/ok', 'notify/breaker', 'notify/breaker']);
    assert.equal(breakerOpen(state, context(catalog).policy, now + 5000), true);
    assert.equal(breakerOpen(state, context(catalog).policy, now + HOUR_MS + 1), false);
    const afterHour = decidePayload(payloadOf(alert('QueueStuck', { queue: 'queue-9' })), context(catalog, { state, now: now + HOUR_MS + 1 }));
    assert.equal(afterHour.decisions[0].outcome, 'dispatch');
  });

  it('dispatches nothing while the kill switch is on', () => {
    const decision = decideOne(catalog, undefined, { killSwitch: true }).decisions[0];
    assert.equal(decision.outcome, 'notify');
    assert.equal(decision.rule, 'kill-switch');
    assert.equal(decision.correlationId, undefined);
  });

  it('needs the runbook to opt in; approve needs a gate that can hold the run', () => {
    const none = decideOne(catalogOf({ [RUNBOOK]: queueRunbook('QueueStuck', []) })).decisions[0];
    assert.deepEqual([none.outcome, none.rule], ['notify', 'no-automation']);
    const approveProd = catalogOf({ [RUNBOOK]: queueRunbook('QueueStuck', ['automation: approve', 'environment: production']).replace('environment: local\n', '') });
    assert.deepEqual([decideOne(approveProd).decisions[0].outcome, decideOne(approveProd).decisions[0].rule], ['dispatch', 'ok']);
    const local = decideOne(approveProd, undefined, { target: 'local' }).decisions[0];
    assert.deepEqual([local.outcome, local.rule], ['notify', 'approve-local']);
    const approveStaging = decideOne(catalogOf({ [RUNBOOK]: queueRunbook('QueueStuck', ['automation: approve']) })).decisions[0];
    assert.deepEqual([approveStaging.outcome, approveStaging.rule], ['notify', 'approve-without-gate']);
  });

  it('records every firing it decided, so a re-sent rejection or notification is a duplicate too', () => {
    const rejected = decideOne(catalog, alert('QueueStuck', { queue: 'BAD VALUE' }));
    assert.equal(rejected.decisions[0].outcome, 'rejected');
    const again = decidePayload(payloadOf(alert('QueueStuck', { queue: 'BAD VALUE' })), context(catalog, { state: rejected.state, now: now + 1000 }));
    assert.equal(again.decisions[0].rule, 'duplicate');
    assert.deepEqual(rejected.state.runs, [], 'a rejection is not a run');
  });

  it('does not change the state it is given', () => {
    const state = emptyBridgeState();
    decideOne(catalog, undefined, { state });
    assert.deepEqual(state, emptyBridgeState());
  });
});
