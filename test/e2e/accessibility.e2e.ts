// The preview as a person using another theme, the keyboard only or a screen reader meets it, in
// the real workbench: axe-core inside the preview's frame and a contrast check of every code block
// and button in the four default themes, on the examples, the fixtures and a runbook with every
// kind of block in every state; a step run from the keyboard alone, with its result announced once;
// focus kept across an update; a screenshot and a video that load. One code-server for all of it.

import { strict as assert } from 'node:assert';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { parseRunbook } from '../../src/core/runbook';
import { axeViolations, contrastProblems, focused, setColorTheme, THEMES, type FocusInfo, type ThemeName } from './accessibilityChecks';
import { openWorkbench, quickOpen, RESULTS, ROOT, runCommand, saveFailureScreenshot, type Workbench } from './workbench';

const EVERY_BLOCK = 'accessibility/every-block.runbook.md';
const MEDIA = 'accessibility/media.runbook.md';
/** README screenshots are written to docs/ only when asked (they change with every run's timings). */
const UPDATE_DOCS = process.env.UPDATE_SCREENSHOTS === '1';

/** The Markdown files of a folder, relative to it, without node_modules. */
function markdownFiles(folder: string, under = ''): string[] {
  return readdirSync(join(folder, under), { withFileTypes: true }).flatMap((entry) => {
    const path = join(under, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : markdownFiles(folder, path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** The fixture workspace with the examples and the accessibility fixtures in subfolders. */
function composeWorkspace(): string {
  const folder = mkdtempSync(join(tmpdir(), 'runbooks-a11y-'));
  cpSync(join(ROOT, 'test/fixtures/workspace'), folder, { recursive: true });
  cpSync(join(ROOT, 'examples'), join(folder, 'examples'), { recursive: true });
  cpSync(join(ROOT, 'test/fixtures/accessibility'), join(folder, 'accessibility'), { recursive: true });
  return folder;
}

function titleOf(folder: string, file: string): string {
  return parseRunbook(readFileSync(join(folder, file), 'utf8'), { path: join(folder, file) }).title;
}

/** The preview frame showing the runbook titled `title`, once its document is rendered. */
async function previewFrame(page: Page, title: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const shown = await frame
        .evaluate((wanted) => document.querySelector('#runbook-header .runbook-title')?.textContent === wanted && document.querySelector('#content')!.childElementCount > 0, title)
        .catch(() => false);
      if (shown) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`No preview of "${title}" appeared within ${timeoutMs / 1000}s.`);
}

async function openPreview(page: Page, folder: string, file: string): Promise<Frame> {
  // From the first group (Ctrl+1), so every preview opens beside it in the second.
  await page.keyboard.press('Control+1');
  await quickOpen(page, file.split('/').pop()!);
  await runCommand(page, 'Runbooks: Open Preview to the Side');
  return previewFrame(page, titleOf(folder, file));
}

/** Runs a command from the Command Palette with the keyboard only (F1, its title, Enter). */
async function keyboardCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  try {
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor({ timeout: 10_000 });
  } catch (error) {
    await page.keyboard.press('Escape');
    throw error;
  }
  await page.keyboard.press('Enter');
}

/** Ctrl+1 / Ctrl+2: the keyboard's way to the editor group on the left (the runbook) or right (its preview). */
async function focusGroup(page: Page, group: 1 | 2): Promise<void> {
  await page.keyboard.press(`Control+${group}`);
}

/** Presses Tab (or Shift+Tab) until the focused element's name is `name`; fails if focus leaves the preview. */
async function tabTo(page: Page, frame: Frame, name: string, { limit = 120, backwards = false } = {}): Promise<FocusInfo> {
  const visited: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const info = await focused(frame);
    if (!info) throw new Error(`Focus left the preview before reaching "${name}", after ${visited.join(' → ')}.`);
    if (info.name === name) return info;
    visited.push(info.label);
  }
  throw new Error(`"${name}" was not reached in ${limit} Tab presses: ${visited.join(' → ')}.`);
}

/**
 * Puts the keyboard's starting point at the top of the preview, as when it is first opened: the
 * next Tab goes to its first control. (Blurring alone would leave the starting point where the
 * last click was.)
 */
async function startAtTop(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const top = document.getElementById('app')!;
    top.tabIndex = -1;
    top.focus({ preventScroll: true });
    top.removeAttribute('tabindex');
    top.blur();
  });
}

/** What the live region said since `startListening`, in order. */
async function startListening(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const region = document.getElementById('runbook-announcer')!;
    const log: string[] = [];
    (window as unknown as { announced: string[] }).announced = log;
    new MutationObserver(() => {
      if (region.textContent) log.push(region.textContent);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
}

async function announced(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => (window as unknown as { announced: string[] }).announced ?? []);
}

describe('accessibility of the preview in every theme, by keyboard and screen reader', function () {
  let workbench: Workbench;
  let composed: string;
  let page: Page;
  let blocks: Frame;
  const step = (frame: Frame, id: string) => frame.locator(`.step[data-step-id="${id}"]`);
  const badge = (frame: Frame, id: string) => step(frame, id).locator('.step-badge');

  before(async () => {
    composed = composeWorkspace();
    workbench = await openWorkbench(composed);
    page = workbench.page;
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await saveFailureScreenshot(page, this.currentTest.title);
  });
  after(async () => {
    await workbench?.close();
    rmSync(composed, { recursive: true, force: true });
  });

  it('brings the every-block runbook into every state: inputs with errors, passed, failed, diff, timed out, cancelled, running', async () => {
    blocks = await openPreview(page, workbench.folder, EVERY_BLOCK);
    const run = (id: string) => step(blocks, id).locator('[data-action="run"]').click();

    // A required input left empty, and a value that does not match its pattern.
    await blocks.locator('#rb-input-CLUSTER[aria-invalid="true"]').waitFor();
    await blocks.locator('#rb-input-NAMESPACE').fill('Not Valid');
    await blocks.locator('#rb-input-NAMESPACE[aria-invalid="true"]').waitFor();

    for (const id of ['drain-node', 'transcript', 'colours']) {
      await run(id);
      await badge(blocks, id).filter({ hasText: 'passed' }).waitFor({ timeout: 15_000 });
    }
    await run('mismatch');
    await step(blocks, 'mismatch').locator('.diff').waitFor({ timeout: 15_000 });
    await run('fails');
    await badge(blocks, 'fails').filter({ hasText: 'exit 3' }).waitFor({ timeout: 15_000 });
    await run('times-out');
    await badge(blocks, 'times-out').filter({ hasText: 'timed out' }).waitFor({ timeout: 15_000 });
    await run('cancel-me');
    await step(blocks, 'cancel-me').locator('pre.output', { hasText: 'waiting to be stopped' }).waitFor({ timeout: 15_000 });
    await step(blocks, 'cancel-me').locator('[data-action="stop"]').click();
    await badge(blocks, 'cancel-me').filter({ hasText: 'cancelled' }).waitFor({ timeout: 15_000 });
    await run('keeps-running');
    await step(blocks, 'keeps-running').locator('pre.output', { hasText: 'still running' }).waitFor({ timeout: 15_000 });
    assert.match((await badge(blocks, 'keeps-running').textContent()) ?? '', /running/);
  });

  it('names every button and checkbox after its step, and ties each input error to its field', async () => {
    const names = await blocks.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('section.step')).map((section) => ({
        title: section.querySelector('.step-title')?.textContent ?? '',
        buttons: Array.from(section.querySelectorAll('button')).map((button) => button.getAttribute('aria-label') ?? ''),
      })),
    );
    assert.ok(names.length >= 10);
    for (const { title, buttons } of names) {
      assert.deepEqual(buttons, [`Run ${title}`, `Stop ${title}`, `Copy ${title}`, `Run ${title} in the terminal`]);
    }
    const boxes = await blocks.locator('#content input.task-checkbox').evaluateAll((inputs) => inputs.map((input) => input.getAttribute('aria-label')));
    assert.deepEqual(boxes, [
      'Tell the on-call channel that you are draining a node',
      'Open the dashboard of the payments service',
      'Say in the channel that the node is back',
    ]);
    for (const [name, message] of [
      ['CLUSTER', /value is required/i],
      ['NAMESPACE', /pattern|match/i],
    ] as const) {
      const field = blocks.locator(`#rb-input-${name}`);
      const error = blocks.locator(`#rb-input-${name}-error`);
      assert.match((await error.textContent()) ?? '', message);
      assert.ok(((await field.getAttribute('aria-describedby')) ?? '').split(' ').includes(`rb-input-${name}-error`));
      assert.equal(await field.getAttribute('aria-errormessage'), `rb-input-${name}-error`);
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
    }
  });

  it('holds the running dot still when reduced motion is asked for, and keeps to forced colours', async () => {
    const animation = () => badge(blocks, 'keeps-running').evaluate((element) => getComputedStyle(element, '::before').animationName);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    assert.equal(await animation(), 'rb-pulse');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    assert.equal(await animation(), 'none');

    await page.emulateMedia({ reducedMotion: 'reduce', forcedColors: 'active' });
    try {
      assert.equal(await blocks.evaluate(() => matchMedia('(forced-colors: active)').matches), true);
      // The system's colours: every button keeps a border, the badge's dot is not lost.
      const borders = await blocks.locator('button.step-button:not([disabled])').evaluateAll((buttons) => buttons.map((b) => getComputedStyle(b).borderTopStyle));
      assert.ok(borders.length > 0 && borders.every((style) => style === 'solid'), borders.join(', '));
      const links = await blocks.locator('#content a').evaluateAll((as) => as.map((a) => `${a.textContent}: ${getComputedStyle(a).textDecorationLine} ${getComputedStyle(a).color}`));
      assert.deepEqual(await axeViolations(blocks), [], links.join(', '));
      const { problems } = await contrastProblems(blocks);
      assert.deepEqual(problems, []);
    } finally {
      await page.emulateMedia({ reducedMotion: 'reduce', forcedColors: 'none' });
    }
  });

  // Each document is checked in the four themes; the order alternates so that each document starts
  // in the theme the last one ended in (one switch fewer each).
  let themeOrder: ThemeName[] = [...THEMES];
  let current: ThemeName | undefined;

  async function checkInThemes(frame: Frame, afterTheme?: (theme: ThemeName) => Promise<void>): Promise<void> {
    const failures: string[] = [];
    for (const theme of themeOrder) {
      if (current !== theme) await setColorTheme(page, theme, frame);
      current = theme;
      for (const violation of await axeViolations(frame)) failures.push(`${theme}: axe ${violation.id} (${violation.impact}) ${violation.help}\n      ${violation.nodes.join('\n      ')}`);
      const { checked, problems } = await contrastProblems(frame);
      assert.ok(checked > 0, 'some text was checked for contrast');
      for (const problem of problems) failures.push(`${theme}: contrast ${problem.ratio}:1 of ${problem.what} "${problem.text}" (${problem.foreground} on ${problem.background})`);
      await afterTheme?.(theme);
    }
    themeOrder = [...themeOrder].reverse();
    assert.deepEqual(failures, [], failures.join('\n'));
  }

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: join(RESULTS, `${name}.png`) });
    if (UPDATE_DOCS) copyFileSync(join(RESULTS, `${name}.png`), join(ROOT, 'docs', `${name}.png`));
  }

  it(`has no axe violations and readable code and buttons in ${THEMES.join(', ')}: ${EVERY_BLOCK}, in every state`, async () => {
    mkdirSync(RESULTS, { recursive: true });
    await step(blocks, 'mismatch').scrollIntoViewIfNeeded();
    try {
      await checkInThemes(blocks, async (theme) => {
        if (theme === 'Default Dark Modern') await screenshot('screenshot-preview-dark');
        if (theme === 'Default High Contrast') await screenshot('screenshot-preview-high-contrast');
      });
      // Still running: the check saw a running step.
      assert.match((await badge(blocks, 'keeps-running').textContent()) ?? '', /running/);
    } finally {
      // The runbook's steps share one session: the next tests' steps would wait for this one.
      await step(blocks, 'keeps-running').locator('[data-action="stop"]').click();
      await badge(blocks, 'keeps-running').filter({ hasText: 'cancelled' }).waitFor({ timeout: 15_000 });
    }
  });

  it('runs a step from the keyboard alone, from Tab to its result announced once, and reaches every action', async () => {
    await focusGroup(page, 1);
    await keyboardCommand(page, 'Runbooks: Open Preview to the Side');
    blocks = await previewFrame(page, titleOf(workbench.folder, EVERY_BLOCK));
    await focusGroup(page, 2);
    await blocks.waitForFunction(() => document.hasFocus(), undefined, { timeout: 10_000 });
    // Start at the top (the mouse clicked Stop above, and a clicked button keeps focus).
    await startAtTop(blocks);

    // Every stop of the Tab order, until focus leaves the preview.
    const stops: FocusInfo[] = [];
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const info = await focused(blocks);
      if (!info) break;
      stops.push(info);
    }
    const names = stops.map((stop) => stop.name);
    const unseen = stops.filter((stop) => !stop.visible).map((stop) => `${stop.label} (${stop.outline})`);
    assert.deepEqual(unseen, [], `focus not visible on: ${unseen.join(', ')}`);
    for (const id of ['run-all', 'reset-session', 'next-failed', 'rb-input-CLUSTER', 'rb-input-NAMESPACE', 'rb-input-REPLICAS', 'rb-input-REGION', 'rb-input-DRY_RUN', 'rb-input-API_TOKEN']) {
      assert.ok(stops.some((stop) => stop.id === id), `Tab reaches #${id}`);
    }
    const titles = await blocks.locator('.step-title').allTextContents();
    for (const title of titles) {
      for (const name of [`Run ${title}`, `Copy ${title}`, `Run ${title} in the terminal`]) assert.ok(names.includes(name), `Tab reaches "${name}"`);
    }
    for (const id of ['drain-node', 'fails', 'colours']) assert.ok(names.includes(`Output of ${id}`), `Tab reaches the output of ${id}`);

    // Back to the top of the preview, then Tab to "Run drain-node" and Enter.
    await focusGroup(page, 2);
    await blocks.waitForFunction(() => document.hasFocus(), undefined, { timeout: 10_000 });
    await startAtTop(blocks);
    await startListening(blocks);
    await tabTo(page, blocks, 'Run drain-node');
    await page.keyboard.press('Enter');
    await blocks.waitForFunction(() => (window as unknown as { announced: string[] }).announced.some((text) => /drain-node passed/.test(text)), undefined, { timeout: 15_000 });
    const said = (await announced(blocks)).join(' | ');
    assert.equal(said.match(/Running drain-node/g)?.length, 1, said);
    assert.equal(said.match(/drain-node passed/g)?.length, 1, said);
    assert.doesNotMatch(said, /transcript|mismatch|fails|colours/, 'only the step that changed is announced');
    // Focus stayed with the step while its Run button was disabled, instead of falling to the page.
    assert.equal((await focused(blocks))?.stepId, 'drain-node');

    // Stop from the keyboard: Run, then Tab to the step's Stop button and Enter.
    await tabTo(page, blocks, 'Run cancel-me');
    await page.keyboard.press('Enter');
    await badge(blocks, 'cancel-me').filter({ hasText: 'running' }).waitFor({ timeout: 15_000 });
    await tabTo(page, blocks, 'Stop cancel-me', { limit: 3 });
    await page.keyboard.press('Enter');
    await blocks.waitForFunction(() => (window as unknown as { announced: string[] }).announced.some((text) => /cancel-me was stopped/.test(text)), undefined, { timeout: 15_000 });

    // A failure is announced once, with its exit code.
    await tabTo(page, blocks, 'Run fails', { backwards: true });
    await page.keyboard.press('Enter');
    await blocks.waitForFunction(() => (window as unknown as { announced: string[] }).announced.some((text) => /fails failed with exit code 3/.test(text)), undefined, { timeout: 15_000 });
    const afterFailure = (await announced(blocks)).join(' | ');
    assert.equal(afterFailure.match(/fails failed with exit code 3/g)?.length, 1, afterFailure);

    // The output folds and unfolds from the keyboard.
    await tabTo(page, blocks, 'Output of cancel-me');
    const open = () => step(blocks, 'cancel-me').locator('details.step-output').evaluate((details) => (details as HTMLDetailsElement).open);
    assert.equal(await open(), true);
    await page.keyboard.press('Enter');
    assert.equal(await open(), false);
    await page.keyboard.press('Enter');
    assert.equal(await open(), true);
  });

  it('goes to the next and previous failed step with F8 and Shift+F8', async () => {
    assert.equal(await blocks.locator('#next-failed').textContent(), 'Next failed step (3)');
    // From the cancel-me step, after the last failed one: F8 wraps to the first.
    await page.keyboard.press('F8');
    assert.equal((await focused(blocks))?.stepId, 'mismatch');
    await page.keyboard.press('F8');
    assert.equal((await focused(blocks))?.stepId, 'fails');
    await page.keyboard.press('F8');
    assert.equal((await focused(blocks))?.stepId, 'times-out');
    await page.keyboard.press('Shift+F8');
    const back = await focused(blocks);
    assert.equal(back?.stepId, 'fails');
    assert.equal(back?.tag, 'section', 'the step block itself has focus');
    assert.ok(back?.visible, 'and shows it');
  });

  it('keeps focus on its button when an edit of the runbook moves the step', async () => {
    // From the failed step F8 left focus on, back up to the transcript step's Run button.
    await tabTo(page, blocks, 'Run transcript', { backwards: true });
    // Swap the drain-node and transcript blocks in the file, as another editor (or git) would.
    const file = join(workbench.folder, EVERY_BLOCK);
    const text = readFileSync(file, 'utf8');
    const drain = text.slice(text.indexOf('Drain the node.'), text.indexOf('A transcript:'));
    const transcript = text.slice(text.indexOf('A transcript:'), text.indexOf('Print something else than expected.'));
    writeFileSync(file, text.replace(drain + transcript, transcript + drain));
    await blocks.waitForFunction(() => {
      const ids = Array.from(document.querySelectorAll<HTMLElement>('section.step')).map((s) => s.dataset.stepId);
      return ids.indexOf('transcript') >= 0 && ids.indexOf('transcript') < ids.indexOf('drain-node');
    }, undefined, { timeout: 15_000 });
    await blocks.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    assert.equal((await focused(blocks))?.name, 'Run transcript');
    assert.match((await badge(blocks, 'transcript').textContent()) ?? '', /passed/, 'the state stayed too');
  });

  it('shows a screenshot and plays a video from the runbook\'s folder, and nothing plays or runs by itself', async () => {
    const frame = await openPreview(page, workbench.folder, MEDIA);
    await frame.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('#content img');
      return image?.complete && image.naturalWidth > 0;
    }, undefined, { timeout: 15_000 });
    const videos = frame.locator('#content video[src], #content video:has(source)');
    assert.equal(await videos.count(), 2);
    await frame.waitForFunction(
      () => Array.from(document.querySelectorAll<HTMLVideoElement>('#content video')).filter((video) => video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA).length === 2,
      undefined,
      { timeout: 20_000 },
    );
    const media = await frame.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLVideoElement>('#content video')).map((video) => ({
        src: video.currentSrc,
        width: video.videoWidth,
        paused: video.paused,
        autoplay: video.hasAttribute('autoplay'),
        controls: video.hasAttribute('controls'),
        handlers: video.getAttributeNames().filter((name) => name.startsWith('on')),
        track: video.querySelector('track')?.readyState,
      })),
    );
    for (const video of media.filter((v) => v.src)) {
      assert.equal(video.width, 160, 'the video decoded');
      assert.doesNotMatch(video.src, /^file:|^media\//, 'the path became a webview resource');
      assert.equal(video.paused, true, 'nothing plays by itself');
      assert.equal(video.autoplay, false);
      assert.equal(video.controls, true, 'the controls show, so the keyboard can play it');
    }
    assert.equal(media[0].track, 2, `the captions loaded (${JSON.stringify(media)} in ${await frame.evaluate(() => location.origin)})`);
    // The video that tried to run a script has no source and no handler left, and ran nothing.
    const hostile = media.find((video) => !video.src);
    assert.ok(hostile, 'the hostile video is there, without a source');
    assert.deepEqual(hostile.handlers, []);
    assert.equal(await frame.evaluate(() => document.body.dataset.pwned ?? null), null);
    await checkInThemes(frame);
  });

  // The examples and the test fixtures: every Markdown file the fixture workspace and examples/ hold.
  describe('the examples and the test fixtures', function () {
    const files = [
      ...markdownFiles(join(ROOT, 'examples')).map((file) => `examples/${file}`),
      ...markdownFiles(join(ROOT, 'test/fixtures/workspace')),
      ...markdownFiles(join(ROOT, 'test/fixtures/accessibility'))
        .map((file) => `accessibility/${file}`)
        .filter((file) => file !== EVERY_BLOCK && file !== MEDIA),
    ];
    for (const file of files) {
      it(`has no axe violations and readable code and buttons in every theme: ${relative('.', file)}`, async () => {
        const frame = await openPreview(page, workbench.folder, file);
        await checkInThemes(frame);
      });
    }
  });
});
