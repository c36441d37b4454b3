// Small DOM helpers: building elements from text only (never from HTML strings).

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The container with `id`, created at the end of `parent` when the shell lacks it. */
export function container(id: string, tag: keyof HTMLElementTagNameMap, className: string, parent: HTMLElement): HTMLElement {
  const existing = document.getElementById(id);
  if (existing) return existing;
  const created = el(tag, className);
  created.id = id;
  parent.append(created);
  return created;
}
