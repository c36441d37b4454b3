// Step output's 16 ANSI colours, readable in every theme. The theme's terminal colours are made
// for the terminal, which moves each one to a minimum contrast of 4.5:1 against its background as
// it draws (terminal.integrated.minimumContrastRatio); the preview shows the same colours on its
// own output background, where blue on dark or yellow on light falls well below that. So each
// colour is moved towards white or black until it reaches 4.5:1 against the output background,
// and set as --rb-ansi-<name> on <body> (preview.css prefers it to the theme's colour). Done at
// start and again whenever the theme changes.

const MINIMUM_RATIO = 4.5;

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
/** [class name part, theme variable] for the 16 colours AnsiUp gives classes to. */
const COLOURS: [string, string][] = [
  ...NAMES.map((name): [string, string] => [name, `--vscode-terminal-ansi${name[0].toUpperCase()}${name.slice(1)}`]),
  ...NAMES.map((name): [string, string] => [`bright-${name}`, `--vscode-terminal-ansiBright${name[0].toUpperCase()}${name.slice(1)}`]),
];

type Rgba = [number, number, number, number];

/** `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb()` / `rgba()` and `transparent`; undefined for anything else. */
export function parseColor(text: string): Rgba | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'transparent') return [0, 0, 0, 0];
  const hex = /^#([0-9a-f]{3,8})$/.exec(value)?.[1];
  if (hex && [3, 4, 6, 8].includes(hex.length)) {
    const digits = hex.length <= 4 ? [...hex].map((d) => d + d) : (hex.match(/../g) ?? []);
    const [r, g, b, a = 'ff'] = digits;
    return [parseInt(r, 16), parseInt(g, 16), parseInt(b, 16), parseInt(a, 16) / 255];
  }
  const rgb = /^rgba?\(([^)]+)\)$/.exec(value)?.[1];
  if (rgb) {
    const parts = rgb.split(/[\s,/]+/).filter(Boolean).map((part) => (part.endsWith('%') ? (parseFloat(part) / 100) * 255 : parseFloat(part)));
    if (parts.length < 3 || parts.some(Number.isNaN)) return undefined;
    const alpha = parts[3] === undefined ? 1 : rgb.includes('%') && parts[3] > 1 ? parts[3] / 255 : parts[3];
    return [parts[0], parts[1], parts[2], alpha];
  }
  return undefined;
}

function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
}

function luminance([r, g, b]: Rgba): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The WCAG contrast ratio of two opaque colours. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

function mix(from: Rgba, to: Rgba, amount: number): Rgba {
  return [0, 1, 2].map((i) => Math.round(from[i] + (to[i] - from[i]) * amount)).concat(1) as Rgba;
}

/** `foreground`, or the nearest colour towards white or black that has `ratio` against `background`. */
export function ensureContrast(foreground: Rgba, background: Rgba, ratio = MINIMUM_RATIO): Rgba {
  const colour = over(foreground, background);
  if (contrastRatio(colour, background) >= ratio) return colour;
  const white: Rgba = [255, 255, 255, 1];
  const black: Rgba = [0, 0, 0, 1];
  // Away from the background first: lighter on a dark background, darker on a light one.
  const directions = luminance(background) < 0.5 ? [white, black] : [black, white];
  for (const target of directions) {
    for (let amount = 0.05; amount <= 1.0001; amount += 0.05) {
      const candidate = mix(colour, target, amount);
      if (contrastRatio(candidate, background) >= ratio) return candidate;
    }
  }
  return contrastRatio(white, background) > contrastRatio(black, background) ? white : black;
}

function css([r, g, b]: Rgba): string {
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
}

function apply(): void {
  const root = getComputedStyle(document.documentElement);
  const body = getComputedStyle(document.body);
  const page = parseColor(body.backgroundColor) ?? [255, 255, 255, 1];
  const output = parseColor(body.getPropertyValue('--rb-output-background')) ?? [0, 0, 0, 0];
  const background = over(output, over(page, [255, 255, 255, 1]));
  for (const [name, variable] of COLOURS) {
    const theme = parseColor(root.getPropertyValue(variable));
    const property = `--rb-ansi-${name}`;
    if (!theme) {
      document.body.style.removeProperty(property);
      continue;
    }
    const readable = ensureContrast(theme, background);
    if (contrastRatio(over(theme, background), background) >= MINIMUM_RATIO) document.body.style.removeProperty(property);
    else document.body.style.setProperty(property, css(readable));
  }
}

/** Sets the colours now and again on every theme change (VS Code rewrites <html>'s style and <body>'s class). */
export function keepAnsiColoursReadable(): void {
  apply();
  let frame: number | undefined;
  const later = () => {
    if (frame !== undefined) return;
    frame = requestAnimationFrame(() => {
      frame = undefined;
      apply();
    });
  };
  new MutationObserver(later).observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  new MutationObserver(later).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
