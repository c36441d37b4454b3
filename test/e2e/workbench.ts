// Drives the real workbench in Chromium: code-server with the extension loaded in development
// mode on a copy of a fixture folder.

import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
// The host helpers are plain ESM shared with the harness and `npm start`.
import { developmentUrl, launchChromium, startCodeServer } from '../host/codeServer.mjs';

export const ROOT = resolve(__dirname, '../..');
export const RESULTS = join(ROOT, 'test-results');

export interface Workbench {
  page: Page;
  folder: string;
  close(): Promise<void>;
}

export async function openWorkbench(fixtureFolder: string, options: { trusted?: boolean } = {}): Promise<Workbench> {
  const folder = mkdtempSync(join(tmpdir(), 'runbooks-e2e-'));
  cpSync(fixtureFolder, folder, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  // Untrusted: workspace trust on and not granted, so the folder opens in Restricted Mode.
  const server = await startCodeServer({ folder, workspaceTrust: options.trusted === false });
  let browser: Browser | undefined;
  try {
    const launched = await launchChromium();
    browser = launched;
    const page = await launched.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(developmentUrl(server.url, { folder, extensionPath: ROOT }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    return {
      page,
      folder,
      close: async () => {
        await launched.close().catch(() => undefined);
        await server.stop();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw error;
  }
}

/** Opens a file through Quick Open, as a person would. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  // Through the title bar's command center: a keyboard shortcut would go to a focused webview.
  await page.locator('.command-center-center').click();
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().click();
  await page.locator(`.tab[aria-label*="${fileName}"]`).first().waitFor();
}

/**
 * Runs a command from the Command Palette by its title. Commands whose `when` clause depends on the
 * focused editor may take a moment to be offered after an editor opens: the palette is tried again.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.locator('.command-center-center').click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.click({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
}

/** The frame of the webview whose document has an element matching `selector`. */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`No webview frame with ${selector} appeared within ${timeoutMs / 1000}s.`);
}

/** A screenshot of the page as a failed test left it, in test-results/. */
export async function saveFailureScreenshot(page: Page | undefined, title: string): Promise<void> {
  if (!page) return;
  const name = `failed-${title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`;
  await page.screenshot({ path: join(RESULTS, name) }).catch(() => undefined);
}

/** A pane of the Runbooks container ('Runbooks' or 'Steps'). */
export function runbooksPane(page: Page, title: 'Runbooks' | 'Steps'): Locator {
  return page.locator('[id="workbench.view.extension.runbooks"] .pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^${title}`, 'i') }) });
}

export function stepsPane(page: Page): Locator {
  return runbooksPane(page, 'Steps');
}

/** Shows the Runbooks container through its command (a click on the activity bar would toggle it). */
export async function showRunbooksContainer(page: Page): Promise<void> {
  await runCommand(page, 'Runbooks: Focus on Steps View');
  await page.locator('[id="workbench.view.extension.runbooks"]').waitFor();
}

/**
 * Opens a workbench on `fixtureFolder` before the suite's tests, screenshots any failure, and closes
 * it afterwards. The returned object is filled in by the `before` hook.
 */
export function useWorkbench(fixtureFolder: string, options: { trusted?: boolean } = {}): Workbench {
  const workbench = {} as Workbench;
  before(async () => {
    Object.assign(workbench, await openWorkbench(fixtureFolder, options));
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await saveFailureScreenshot(workbench.page, this.currentTest.title);
  });
  after(async () => {
    await workbench.close?.();
  });
  return workbench;
}

/** "Developer: Reload Window", as a person would: it saves the workbench's state first (a browser reload may not). */
export async function reloadWindow(page: Page): Promise<void> {
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForEvent('load', { timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}
