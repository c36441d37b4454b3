// Activation inside the real VS Code host (code-server driven by headless Chromium, as the
// integration tests run): one code-server, a fresh window — and so a fresh extension host — per
// sample; each window loads bench/host/activation.ts, which times `activate()` once.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentUrl, launchChromium, startCodeServer } from '../test/host/codeServer.mjs';

const SAMPLE_TIMEOUT_MS = 90_000;

export interface ActivationSamples {
  times: number[];
  vscode?: string;
  breakdowns: Record<string, number>[];
}

/** Extension-host log lines reach the page console as `%c INFO color: … <text>`. */
function tagged(text: string): string | undefined {
  const at = text.indexOf('[runbooks-bench] ');
  return at < 0 ? undefined : text.slice(at + '[runbooks-bench] '.length).replace(/%c/g, '').trim();
}

export async function measureActivation(root: string, suite: string, samples: number, env: Record<string, string> = {}): Promise<ActivationSamples> {
  const folder = mkdtempSync(join(tmpdir(), 'runbooks-bench-'));
  const server = await startCodeServer({ folder, env });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const result: ActivationSamples = { times: [], breakdowns: [] };
  try {
    for (let i = 0; i < samples; i++) {
      const page = await browser.newPage();
      try {
        const figure = new Promise<Record<string, unknown>>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no activation figure from the host within ${SAMPLE_TIMEOUT_MS / 1000}s`)), SAMPLE_TIMEOUT_MS);
          page.on('console', (message) => {
            const text = tagged(message.text());
            if (text === undefined) return;
            clearTimeout(timer);
            try {
              resolve(JSON.parse(text) as Record<string, unknown>);
            } catch {
              reject(new Error(`unreadable figure from the host: ${text}`));
            }
          });
        });
        // The suite's end arrives here; the figure has already been logged by then.
        await page.exposeFunction('codeAutomationExit', () => undefined);
        await page.goto(developmentUrl(server.url, { folder, extensionPath: root, testsPath: suite }));
        const reported = await figure;
        if (typeof reported.activationMs !== 'number') throw new Error(String(reported.error ?? 'no activation time'));
        result.times.push(reported.activationMs);
        if (reported.breakdown) result.breakdowns.push(reported.breakdown as Record<string, number>);
        if (typeof reported.vscode === 'string') result.vscode = reported.vscode;
      } finally {
        await page.close().catch(() => undefined);
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  return result;
}
