// What the accessibility browser tests check inside a webview's frame: axe-core's rules, the
// contrast of text against the background it really stands on (computed styles, composited up the
// tree), and where the keyboard's focus is. Plus switching the workbench's colour theme as a person
// would, through the Command Palette.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';
import { runCommand } from './workbench';

export const THEMES = ['Default Light Modern', 'Default Dark Modern', 'Default High Contrast', 'Default High Contrast Light'] as const;
export type ThemeName = (typeof THEMES)[number];

/** The class VS Code puts on a webview's <body> for each theme's kind. */
const THEME_CLASS: Record<ThemeName, string> = {
  'Default Light Modern': 'vscode-light',
  'Default Dark Modern': 'vscode-dark',
  'Default High Contrast': 'vscode-high-contrast',
  'Default High Contrast Light': 'vscode-high-contrast-light',
};

let axeSource: string | undefined;

/**
 * The browser tests run through tsx, whose transform wraps named inner functions in `__name(…)`;
 * a function sent to the page with evaluate() needs that helper there too.
 */
async function defineNameHelper(frame: Frame): Promise<void> {
  await frame.evaluate('globalThis.__name = globalThis.__name || ((target) => target)');
}

function axeScript(): string {
  axeSource ??= readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Picks `theme` in "Preferences: Color Theme" and waits until the webview in `frame` wears it. */
export async function setColorTheme(page: Page, theme: ThemeName, frame?: Frame): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.fill(theme);
  // Rows are labelled "Dark High Contrast, Default High Contrast": the one ending in the full name
  // (which "…, Default High Contrast Light" does not).
  await page.locator(`.quick-input-list .monaco-list-row[aria-label$=", ${theme}"]`).first().click({ timeout: 10_000 });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  if (frame) await waitForFrameTheme(frame, theme);
}

export async function waitForFrameTheme(frame: Frame, theme: ThemeName): Promise<void> {
  const className = THEME_CLASS[theme];
  await frame.waitForFunction(
    (wanted) => {
      const classes = document.body.classList;
      // High Contrast Light also carries vscode-high-contrast: tell the two apart.
      if (wanted === 'vscode-high-contrast') return classes.contains(wanted) && !classes.contains('vscode-high-contrast-light');
      return classes.contains(wanted);
    },
    className,
    { timeout: 15_000 },
  );
  // The theme's variables arrive with the class; one frame for styles to apply.
  await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe-core's violations of its default rules (WCAG 2.x A/AA and best practices) in `frame`. */
export async function axeViolations(frame: Frame): Promise<AxeViolation[]> {
  // Evaluated through the debugger protocol, which the page's Content Security Policy does not govern.
  if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(axeScript());
  return frame.evaluate(async () => {
    type AxeNode = { target: string[]; failureSummary?: string; html: string };
    type AxeResult = { id: string; impact: string; help: string; nodes: AxeNode[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeResult[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').trim()} — ${n.html.slice(0, 120)}`),
    }));
  });
}

export interface ContrastProblem {
  what: string;
  text: string;
  foreground: string;
  background: string;
  ratio: number;
}

/**
 * Every code block, inline code, button, badge, error message and coloured output span that has
 * text, with a contrast below `minimum` against the background it is drawn on. The background is
 * found by compositing the element's and its ancestors' background colours down to an opaque one,
 * as the browser paints them. Disabled controls are exempt (WCAG 1.4.3).
 */
export async function contrastProblems(frame: Frame, minimum = 4.5): Promise<{ checked: number; problems: ContrastProblem[] }> {
  await defineNameHelper(frame);
  return frame.evaluate((min) => {
    type Rgba = [number, number, number, number];
    const parse = (text: string): Rgba => {
      const match = /^rgba?\(([^)]+)\)$/.exec(text.trim());
      if (!match) throw new Error(`Unexpected colour format: ${text}`);
      const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [parts[0], parts[1], parts[2], parts[3] ?? 1];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
    };
    const luminance = ([r, g, b]: Rgba) => {
      const c = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const backgroundOf = (element: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let node: Element | null = element; node; node = node.parentElement) {
        const colour = parse(getComputedStyle(node).backgroundColor);
        if (colour[3] > 0) layers.push(colour);
        if (colour[3] >= 1) break;
      }
      let result: Rgba = [255, 255, 255, 1];
      if (layers.length > 0 && layers[layers.length - 1][3] >= 1) result = layers.pop()!;
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const css = ([r, g, b]: Rgba) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
    const selector = [
      'pre',
      'pre code',
      ':not(pre) > code',
      'button',
      '.step-badge',
      '.field-error',
      '.result-message',
      '.output-note',
      'pre.output span',
      '.flag',
      '.env-badge',
      '.tag',
      'a',
    ].join(', ');
    const problems: { what: string; text: string; foreground: string; background: string; ratio: number }[] = [];
    let checked = 0;
    for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const text = element.innerText?.trim() ?? '';
      if (!text || element.getClientRects().length === 0) continue;
      const style = getComputedStyle(element);
      if (style.visibility !== 'visible' || (element as HTMLButtonElement).disabled) continue;
      const background = backgroundOf(element);
      const foreground = over(parse(style.color), background);
      const value = ratio(foreground, background);
      checked++;
      if (value < min) {
        const what = `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).trim().split(/\s+/).join('.')}` : ''}`;
        problems.push({ what, text: text.slice(0, 40), foreground: css(foreground), background: css(background), ratio: Math.round(value * 100) / 100 });
      }
    }
    return { checked, problems };
  }, minimum);
}

export interface FocusInfo {
  /** A short description of the focused element: `button "Run drain-node"`, `input#rb-input-CLUSTER`. */
  label: string;
  tag: string;
  id: string;
  name: string;
  action?: string;
  stepId?: string;
  /** Whether the focus indicator is visible: an outline of at least 1px with 3:1 against the page. */
  visible: boolean;
  outline: string;
}

/** The focused element in `frame`, or undefined when focus is not in this document. */
export async function focused(frame: Frame): Promise<FocusInfo | undefined> {
  await defineNameHelper(frame);
  return frame.evaluate(() => {
    const element = document.activeElement;
    if (!document.hasFocus() || !(element instanceof HTMLElement) || element === document.body) return undefined;
    const parse = (text: string) => (/^rgba?\(([^)]+)\)$/.exec(text)?.[1] ?? '0,0,0,0').split(/[\s,/]+/).filter(Boolean).map(Number);
    const luminance = (rgb: number[]) =>
      rgb.slice(0, 3).reduce((sum, v, i) => {
        const s = v / 255;
        return sum + [0.2126, 0.7152, 0.0722][i] * (s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4);
      }, 0);
    const style = getComputedStyle(element);
    const width = parseFloat(style.outlineWidth);
    const outline = parse(style.outlineColor);
    const page = parse(getComputedStyle(document.body).backgroundColor);
    const [a, b] = [luminance(outline), luminance(page)].sort((x, y) => y - x);
    const visible = style.outlineStyle !== 'none' && width >= 1 && (outline[3] ?? 1) > 0 && (a + 0.05) / (b + 0.05) >= 3;
    const name = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 60) ?? '';
    const step = element.closest<HTMLElement>('section.step[data-step-id]');
    return {
      label: `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${name}"`,
      tag: element.tagName.toLowerCase(),
      id: element.id,
      name,
      action: element.dataset.action,
      stepId: step?.dataset.stepId,
      visible,
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    };
  });
}
