// Background processes of a step that ended by itself keep running, as in a terminal: a small HTTP
// server on 127.0.0.1 that logs every request answers many requests after its step ended (before,
// it died of SIGPIPE on its second log line), its log lines land in the session's background log,
// the session lists it, and Reset Session, stopBackground() and dispose() each stop it.

import { strict as assert } from 'node:assert';
import { existsSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { RunbookSession, type SessionBackgroundProcess } from '../../../src/core/run/runbookSession';
import { isAlive } from '../../../src/core/run/processTree';
import type { Runbook } from '../../../src/core/runbook';
import { assertPassed, fence, makeTempDir, md, removeDir, runbookIn, stepNamed, waitFor } from './helpers';

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** One GET; resolves with the status code, or the error's code when nothing answers. */
function get(port: number, path: string): Promise<number | string> {
  return new Promise((resolveGet) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolveGet(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolveGet(error.code ?? error.message));
    req.end();
  });
}

describe('RunbookSession: background processes of a step that ended', function () {
  this.timeout(30_000);
  let dir: string;
  let runbook: Runbook;
  let port: number;
  let session: RunbookSession;
  let changes: SessionBackgroundProcess[][];
  let live: string;
  beforeEach(async () => {
    dir = makeTempDir();
    port = await freePort();
    // The server logs each request to stderr, which is the step's pipe: the SIGPIPE case.
    runbook = runbookIn(
      dir,
      md(
        fence(
          'bash {name=start timeout=20}',
          'python3 -u -m http.server "$PORT" --bind 127.0.0.1 --directory "$SERVE" &',
          'for i in $(seq 1 100); do',
          '  python3 -c \'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()\' "$PORT" 2>/dev/null && break',
          '  sleep 0.1',
          'done',
          'echo "listening on $PORT"',
        ),
        '',
        fence('bash {name=after}', 'echo after'),
      ),
    );
    changes = [];
    live = '';
    session = new RunbookSession({ onBackgroundChange: (list) => changes.push(list), onBackgroundOutput: (text) => (live += text) });
  });
  afterEach(async () => {
    await session.dispose();
    removeDir(dir);
  });

  async function start(): Promise<SessionBackgroundProcess> {
    const result = await session.run({ runbook, step: stepNamed(runbook, 'start'), values: { PORT: String(port), SERVE: dir } });
    assertPassed(result);
    assert.match(result.output, new RegExp(`^(Serving HTTP on .*\n)?listening on ${port}\n$`));
    const background = session.background();
    assert.equal(background.length, 1, JSON.stringify(background));
    assert.equal(background[0].stepId, 'start');
    assert.match(background[0].command, /python3 -u -m http\.server \d+ --bind 127\.0\.0\.1/);
    return background[0];
  }

  it('keeps a logging server answering after its step ended, with its log in the background log', async () => {
    const server = await start();
    assert.equal(changes.at(-1)?.length, 1, 'the session told its listener about the new process');
    const answers: Array<number | string> = [];
    for (let i = 0; i < 8; i++) answers.push(await get(port, `/request-${i}`));
    assert.deepEqual(answers, new Array(8).fill(404), 'every request got an answer');
    // A step run after it does not disturb it.
    assertPassed(await session.run({ runbook, step: stepNamed(runbook, 'after'), values: {} }));
    assert.equal(await get(port, '/after-next-step'), 404);
    assert.ok(isAlive(server.pid));
    await waitFor(() => live.includes('/after-next-step'), 5000, 'the last request in the live background output');
    const log = await session.readBackgroundLog();
    for (let i = 0; i < 8; i++) assert.match(log, new RegExp(`"GET /request-${i} HTTP/1\\.1" 404`));
    assert.match(log, /step start left 1 background process running \(pid \d+\)/);
    assert.ok(session.backgroundLogPath?.endsWith('background.log'));
  });

  it('Reset Session stops it, and the list is empty', async () => {
    const server = await start();
    assert.equal(await get(port, '/'), 200);
    await session.reset();
    assert.equal(isAlive(server.pid), false);
    assert.deepEqual(session.background(), []);
    assert.equal(changes.at(-1)?.length, 0);
    assert.equal(await get(port, '/'), 'ECONNREFUSED');
  });

  it('stopBackground() stops it on request and says how many it stopped', async () => {
    const server = await start();
    assert.equal(await session.stopBackground(), 1);
    assert.equal(isAlive(server.pid), false);
    assert.equal(await session.stopBackground(), 0);
  });

  it('dispose() stops it', async () => {
    const server = await start();
    await session.dispose();
    assert.equal(isAlive(server.pid), false);
    assert.equal(await get(port, '/'), 'ECONNREFUSED');
  });

  it('keeps its log where the preview can open it when the session folder was removed meanwhile', async () => {
    const first = runbookIn(dir, md(fence('bash {name=one}', '(sleep 1; echo from-one) &', 'echo now'), '', fence('bash {name=two}', '(sleep 1; echo from-two) &', 'echo now')));
    assertPassed(await session.run({ runbook: first, step: stepNamed(first, 'one'), values: {} }));
    await waitFor(() => live.includes('from-one'), 5000, 'the first background output');
    const before = session.backgroundLogPath;
    assert.ok(before && existsSync(before));
    // A /tmp cleaner removes the session's folder: the next step makes a new one, and the log follows.
    rmSync(dirname(before), { recursive: true, force: true });
    assertPassed(await session.run({ runbook: first, step: stepNamed(first, 'two'), values: {} }));
    await waitFor(() => live.includes('from-two'), 5000, 'the second background output');
    const after = session.backgroundLogPath;
    assert.ok(after && after !== before && existsSync(after), `a log that exists: ${after}`);
    let log = '';
    for (let tries = 0; tries < 50 && !log.includes('from-two'); tries++) {
      log = await session.readBackgroundLog();
      if (!log.includes('from-two')) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(log, /from-two/);
  });

  it('forgets a background process that ended by itself', async () => {
    const quick = runbookIn(dir, fence('bash {name=quick}', '(sleep 0.3; echo late) &', 'echo now'));
    const result = await session.run({ runbook: quick, step: stepNamed(quick, 'quick'), values: {} });
    assert.equal(result.output, 'now\n');
    assert.ok(session.background().length >= 1, 'the subshell and its sleep are listed');
    await waitFor(() => session.background().length === 0, 5000, 'the background subshell to end');
    await waitFor(() => live.includes('late\n'), 2000, 'its late output');
  });
});
