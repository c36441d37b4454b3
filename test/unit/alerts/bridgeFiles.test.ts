import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decidePayload, emptyBridgeState } from '../../../src/core/alerts';
import { ConfigError, parseBridgeConfig } from '../../../src/cli/bridge/config';
import { bridgeSecrets } from '../../../src/cli/bridge/config';
import { BridgeStateFile, StateFileError } from '../../../src/cli/bridge/stateFile';
import { alert, catalogOf, context, payloadOf, queueRunbook } from './helpers';

describe('bridge state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the dedup state across a restart: the same alert is a duplicate for a new bridge', async () => {
    const file = join(dir, 'nested', 'state.json');
    const catalog = catalogOf({ 'runbooks/r.md': queueRunbook('QueueStuck') });
    const first = new BridgeStateFile(file);
    const decided = decidePayload(payloadOf(alert('QueueStuck', { queue: 'emails' })), context(catalog, { state: await first.load() }));
    assert.equal(decided.decisions[0].outcome, 'dispatch');
    await first.save(decided.state);

    const restarted = new BridgeStateFile(file);
    const again = decidePayload(payloadOf(alert('QueueStuck', { queue: 'emails' })), context(catalog, { state: await restarted.load() }));
    assert.equal(again.decisions[0].rule, 'duplicate');
    assert.deepEqual(readdirSync(join(dir, 'nested')), ['state.json'], 'no temporary file is left');
  });

  it('writes saves that overlap together, and every caller waits for a write holding its state', async () => {
    const file = join(dir, 'state.json');
    const store = new BridgeStateFile(file);
    const states = Array.from({ length: 20 }, (_, i) => ({ ...emptyBridgeState(), runs: [i] }));
    const saves = states.map(async (state) => {
      await store.save(state);
      // When my save resolves, the file holds my state or a later one.
      const saved = (JSON.parse(readFileSync(file, 'utf8')) as { state: { runs: number[] } }).state.runs[0];
      assert.ok(saved >= state.runs[0], `saved ${saved} after ${state.runs[0]}`);
    });
    await Promise.all(saves);
    assert.deepEqual((await new BridgeStateFile(file).load()).runs, [19]);
  });

  it('saves soon what no dispatch waits for, and flush() writes it at once', async () => {
    const file = join(dir, 'state.json');
    const store = new BridgeStateFile(file);
    const errors: Error[] = [];
    store.saveSoon({ ...emptyBridgeState(), runs: [1] }, 60_000, (error) => errors.push(error));
    store.saveSoon({ ...emptyBridgeState(), runs: [2] }, 60_000, (error) => errors.push(error));
    assert.deepEqual(readdirSync(dir), [], 'nothing written yet');
    await store.flush();
    assert.deepEqual((await new BridgeStateFile(file).load()).runs, [2]);
    store.saveSoon({ ...emptyBridgeState(), runs: [3] }, 10, (error) => errors.push(error));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await store.flush();
    assert.deepEqual((await new BridgeStateFile(file).load()).runs, [3]);
    assert.deepEqual(errors, []);
  });

  it('refuses a file that is not its state rather than forget what it decided', async () => {
    const file = join(dir, 'state.json');
    writeFileSync(file, '{"format":"something-else"}');
    await assert.rejects(new BridgeStateFile(file).load(), StateFileError);
    writeFileSync(file, '{ torn');
    await assert.rejects(new BridgeStateFile(file).load(), /not valid JSON/);
    assert.deepEqual(await new BridgeStateFile(join(dir, 'missing.json')).load(), emptyBridgeState());
  });
});

describe('bridge configuration', () => {
  const file = '/etc/runbooks/bridge.yaml';
  const problems = (text: string): string[] => {
    try {
      parseBridgeConfig(text, file);
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.problems;
    }
    return [];
  };

  it('reads a full file, resolving paths against its folder', () => {
    const config = parseBridgeConfig(
      [
        'listen: { host: 127.0.0.1, port: 9200 }',
        'auth: { bearerTokenEnv: BRIDGE_TOKEN }',
        'repository: { root: .., runbooks: [runbooks, docs/ops], urlPrefixes: { "https://runbooks.example.com/runbooks/": runbooks/ } }',
        'target: { type: github, api: "https://ghe.example.com/api/v3/", repository: acme/ops, ref: main, tokenEnv: GH_TOKEN }',
        'policy: { dedupTtl: 12h, cooldown: 15m, maxRunsPerHour: 4, killSwitch: /var/run/bridge.stop }',
        'state: state/bridge.json',
      ].join('\n'),
      file,
    );
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 9200 });
    assert.deepEqual(config.repository.runbooks, ['/etc/runbooks', '/etc/docs/ops']);
    assert.equal(config.repository.root, '/etc');
    assert.deepEqual(config.target, { type: 'github', api: 'https://ghe.example.com/api/v3', owner: 'acme', repo: 'ops', ref: 'main', tokenEnv: 'GH_TOKEN', webUrl: undefined });
    assert.deepEqual(config.policy, { dedupTtlMs: 12 * 3_600_000, cooldownMs: 15 * 60_000, maxRunsPerHour: 4, killSwitch: '/var/run/bridge.stop', productionEnvironments: ['production', 'prod', 'prd', 'live'] });
    assert.equal(config.state, '/etc/runbooks/state/bridge.json');
    assert.equal(config.audit, '/etc/runbooks/.runbook-bridge/audit.jsonl');
  });

  it('listens on loopback unless the file names another address', () => {
    const config = parseBridgeConfig('auth: { bearerTokenEnv: BRIDGE_TOKEN }\ntarget: { type: local, command: [runbook] }', file);
    assert.equal(config.listen.host, '127.0.0.1');
    assert.equal(parseBridgeConfig('listen: { port: 9300 }\nauth: { bearerTokenEnv: BRIDGE_TOKEN }\ntarget: { type: local, command: [runbook] }', file).listen.host, '127.0.0.1');
  });

  it('names the key of every problem', () => {
    const found = problems(
      [
        'listen: { port: 99999 }',
        'auth: { bearerTokenEnv: "s3cr3t token" }',
        'target: { type: github, repository: acme, tokenEnv: GH_TOKEN, extra: 1 }',
        'policy: { dedupTtl: soon, maxRunsPerHour: -1, maxRunPerHour: 3 }',
        'typo: 1',
      ].join('\n'),
    );
    const expected = [/listen\.port must be a whole number from 0 to 65535/, /auth\.bearerTokenEnv must be the name of an environment variable/, /target\.extra is not a setting/, /target\.repository must be OWNER\/REPO/, /policy\.dedupTtl must be a duration/, /policy\.maxRunsPerHour must be a whole number/, /policy\.maxRunPerHour is not a setting/, /typo is not a setting/];
    for (const pattern of expected) assert.ok(found.some((p) => pattern.test(p)), `${pattern} in ${JSON.stringify(found, null, 1)}`);
    for (const problem of found) assert.ok(problem.startsWith(`${file}: `), problem);
  });

  it('needs authentication and a known target', () => {
    assert.ok(problems('target: { type: local }').some((p) => /auth must name bearerTokenEnv or hmacSecretEnv/.test(p)));
    assert.ok(problems('auth: { hmacSecretEnv: S }\ntarget: { type: jenkins }').some((p) => /target\.type must be github, gitlab or local, not "jenkins"/.test(p)));
    assert.ok(problems('auth: { hmacSecretEnv: S }\ntarget: { type: local, command: "node cli.js" }').some((p) => /target\.command must be the runbook command as a list/.test(p)));
    assert.ok(problems('- a list').some((p) => /must be a mapping/.test(p)));
    assert.ok(problems('a: [').some((p) => /not valid YAML/.test(p)));
  });

  it('reads secrets from the environment only, naming any that is unset', () => {
    const config = parseBridgeConfig('auth: { bearerTokenEnv: BRIDGE_TOKEN }\ntarget: { type: gitlab, project: group/ops, tokenEnv: GL_TOKEN }', file);
    assert.deepEqual(bridgeSecrets(config, { BRIDGE_TOKEN: 'b', GL_TOKEN: 'g' }), { bearerToken: 'b', hmacSecret: undefined, targetToken: 'g' });
    assert.throws(() => bridgeSecrets(config, { BRIDGE_TOKEN: 'b' }), /target\.tokenEnv names the environment variable GL_TOKEN, which is not set/);
  });
});
