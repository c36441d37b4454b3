// `runbook bridge`: the alert bridge as a command. The CLI entry passes the arguments after
// `bridge` to runBridge and exits with what it returns.
//   runbook bridge [--config bridge.yaml]                           serve until SIGINT/SIGTERM; SIGHUP reloads runbooks
//   runbook bridge explain [--config bridge.yaml] [--json] <payload.json|->   decisions without dispatching
// Exit codes: 0 done, 1 the server failed, 2 bad usage, configuration or payload.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadBridgeConfig } from './config';
import { explainPayload, formatDecisions, PayloadError } from './explain';
import { startBridge, type BridgeHandle } from './server';
import { StateFileError } from './stateFile';

export { startBridge, constantTimeEqual, signBody, type BridgeHandle, type BridgeOptions, type WebhookAnswer } from './server';
export { explainPayload, formatDecisions, PayloadError } from './explain';
export { loadBridgeConfig, parseBridgeConfig, ConfigError, type BridgeConfig } from './config';

export interface BridgeIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** The runbook command local runs use when the configuration names none: this CLI by default. */
  cliCommand?: string[];
  /** Resolves when the server should stop; default: SIGINT or SIGTERM. */
  stopSignal?: Promise<void>;
  /** Told the handle once the server listens (tests). */
  onListening?: (handle: BridgeHandle) => void;
}

export const BRIDGE_USAGE = `Usage:
  runbook bridge [--config bridge.yaml]
      Serve Alertmanager webhooks on POST /alertmanager (and GET /metrics, GET /healthz) until
      SIGINT or SIGTERM; SIGHUP reads the runbooks again.
  runbook bridge explain [--config bridge.yaml] [--json] <payload.json | ->
      Print the decision for each alert of a webhook payload, without dispatching anything.
`;

function defaultIo(): BridgeIo {
  return { stdout: process.stdout, stderr: process.stderr };
}

/** Runs `runbook bridge …` with the arguments after `bridge`; resolves with the exit code. */
export async function runBridge(argv: string[], io: BridgeIo = defaultIo()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { config: { type: 'string', short: 'c', default: 'bridge.yaml' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    io.stderr.write(`runbook bridge: ${(error as Error).message}\n${BRIDGE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(BRIDGE_USAGE);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command !== undefined && command !== 'explain') {
    io.stderr.write(`runbook bridge: unknown command "${command}".\n${BRIDGE_USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadBridgeConfig(values.config as string);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`runbook bridge: the configuration is not valid:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 2;
    }
    throw error;
  }
  if (command === 'explain') return explain(config, rest, values.json as boolean, io);
  return serve(config, io);
}

async function explain(config: ReturnType<typeof loadBridgeConfig>, files: string[], json: boolean, io: BridgeIo): Promise<number> {
  if (files.length !== 1) {
    io.stderr.write(`runbook bridge explain: give one payload file (or - for standard input).\n${BRIDGE_USAGE}`);
    return 2;
  }
  let payload: unknown;
  try {
    const text = files[0] === '-' ? await readStdin() : await readFile(files[0], 'utf8');
    payload = JSON.parse(text);
  } catch (error) {
    io.stderr.write(`runbook bridge explain: ${files[0]} is not a readable JSON file: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const decisions = await explainPayload(config, payload);
    io.stdout.write(json ? `${JSON.stringify(decisions, null, 2)}\n` : formatDecisions(decisions));
    return 0;
  } catch (error) {
    if (error instanceof PayloadError || error instanceof StateFileError) {
      io.stderr.write(`runbook bridge explain: ${files[0] === '-' ? 'standard input' : files[0]}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function signals(): { stop: Promise<void>; dispose: () => void } {
  let dispose = () => undefined as void;
  const stop = new Promise<void>((resolve) => {
    const onStop = () => resolve();
    process.once('SIGINT', onStop);
    process.once('SIGTERM', onStop);
    dispose = () => {
      process.off('SIGINT', onStop);
      process.off('SIGTERM', onStop);
    };
  });
  return { stop, dispose };
}

async function serve(config: ReturnType<typeof loadBridgeConfig>, io: BridgeIo): Promise<number> {
  const log = (message: string) => io.stderr.write(`runbook bridge: ${message}\n`);
  let handle: BridgeHandle;
  try {
    handle = await startBridge(config, { log, cliCommand: io.cliCommand ?? [process.execPath, process.argv[1]] });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`runbook bridge: ${error.problems.join('\n')}\n`);
      return 2;
    }
    log(`cannot start: ${(error as Error).message}`);
    return error instanceof StateFileError ? 2 : 1;
  }
  io.stdout.write(`runbook bridge: listening on ${handle.url} (POST ${handle.url}/alertmanager), target ${config.target.type}; audit log ${config.audit}\n`);
  io.onListening?.(handle);
  const onHangUp = () => {
    handle.reload().then(
      () => log('runbooks read again'),
      (error: Error) => log(`reload failed: ${error.message}`),
    );
  };
  process.on('SIGHUP', onHangUp);
  const own = io.stopSignal ? undefined : signals();
  await (io.stopSignal ?? own?.stop);
  own?.dispose();
  process.off('SIGHUP', onHangUp);
  log('stopping');
  await handle.close();
  return 0;
}
