// The preview-bytes row: one code-server and one window running bench/host/previewBytes.ts.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentUrl, launchChromium, startCodeServer } from '../test/host/codeServer.mjs';

export interface PreviewBytes {
  withOutput: number;
  withoutOutput: number;
  held: number;
  streamed: number;
}

export async function measurePreviewBytes(root: string, suite: string): Promise<PreviewBytes> {
  const folder = mkdtempSync(join(tmpdir(), 'runbooks-bench-preview-'));
  const server = await startCodeServer({ folder });
  try {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const figure = new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no figure from the host within 300 s')), 300_000);
        page.on('console', (message) => {
          const text = message.text();
          const at = text.indexOf('[runbooks-bench] ');
          if (at < 0) return;
          clearTimeout(timer);
          resolve(JSON.parse(text.slice(at + '[runbooks-bench] '.length).replace(/%c/g, '').trim()) as Record<string, unknown>);
        });
      });
      await page.exposeFunction('codeAutomationExit', () => undefined);
      await page.goto(developmentUrl(server.url, { folder, extensionPath: root, testsPath: suite }));
      const result = await figure;
      if (typeof result.withOutput !== 'number') throw new Error(String(result.error ?? 'no figure'));
      return result as unknown as PreviewBytes;
    } finally {
      await browser.close().catch(() => undefined);
    }
  } finally {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}
