// Code blocks, output and tables that scroll (a long command line, 400 px of output) can be
// scrolled with the keyboard only if they can take focus: each one that overflows gets
// tabindex=0, and loses it again when it no longer does. Checked after the page changes (at most
// once a frame) and when the preview is resized.

const SCROLLERS = 'pre, table';
const MARK = 'data-rb-scroll-focus';

let pending = new Set<HTMLElement>();
let frame: number | undefined;

function overflows(element: HTMLElement): boolean {
  return element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1;
}

function check(element: HTMLElement): void {
  const scrollable = element.isConnected && overflows(element);
  if (scrollable && !element.hasAttribute('tabindex')) {
    element.setAttribute('tabindex', '0');
    element.setAttribute(MARK, '');
  } else if (!scrollable && element.hasAttribute(MARK)) {
    element.removeAttribute('tabindex');
    element.removeAttribute(MARK);
  }
}

function schedule(elements: Iterable<HTMLElement>): void {
  for (const element of elements) pending.add(element);
  if (frame !== undefined) return;
  frame = requestAnimationFrame(() => {
    frame = undefined;
    const batch = pending;
    pending = new Set();
    for (const element of batch) check(element);
  });
}

function scrollersIn(node: Node): HTMLElement[] {
  if (!(node instanceof Element)) return node.parentElement ? scrollersIn(node.parentElement) : [];
  const found = Array.from(node.querySelectorAll<HTMLElement>(SCROLLERS));
  const around = node.closest<HTMLElement>(SCROLLERS);
  if (around) found.push(around);
  return found;
}

/** Keeps the scrollable blocks of `content` focusable from now on. */
export function keepScrollablesFocusable(content: HTMLElement): void {
  new MutationObserver((records) => {
    const touched = new Set<HTMLElement>();
    for (const record of records) {
      for (const element of scrollersIn(record.target)) touched.add(element);
      for (const node of Array.from(record.addedNodes)) for (const element of scrollersIn(node)) touched.add(element);
    }
    if (touched.size > 0) schedule(touched);
    // A morph sets attributes back to the document's (no tabindex): watched as well.
  }).observe(content, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['tabindex', 'hidden', 'open'] });
  new ResizeObserver(() => schedule(content.querySelectorAll<HTMLElement>(SCROLLERS))).observe(content);
}
