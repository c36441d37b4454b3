// The header above the runbook: title, description, owner, tags, environment and the banner
// shown when the workspace is not trusted.

import type { HeaderView } from '../features/preview/protocol';
import { el } from './dom';

export const UNTRUSTED_MESSAGE = 'Running steps needs a trusted workspace';

let lastSignature: string | undefined;

export function renderHeader(root: HTMLElement, header: HeaderView, trusted: boolean): void {
  const signature = JSON.stringify([header, trusted]);
  if (signature === lastSignature) return;
  lastSignature = signature;

  const children: HTMLElement[] = [el('h1', 'runbook-title', header.title)];

  const meta = el('div', 'runbook-meta');
  if (header.environment) {
    const environment = el('span', header.productionLike ? 'env-badge env-production' : 'env-badge', header.environment);
    environment.title = header.productionLike
      ? `Environment: ${header.environment} (production: every step asks for confirmation)`
      : `Environment: ${header.environment}`;
    meta.append(environment);
  }
  if (header.owner) {
    const owner = el('span', 'runbook-owner');
    owner.append(el('span', 'meta-label', 'Owner'), document.createTextNode(' '), el('span', 'meta-value', header.owner));
    meta.append(owner);
  }
  if (header.tags.length > 0) {
    const tags = el('ul', 'runbook-tags');
    tags.setAttribute('aria-label', 'Tags');
    for (const tag of header.tags) tags.append(el('li', 'tag', tag));
    meta.append(tags);
  }
  if (meta.childElementCount > 0) children.push(meta);

  if (header.description) children.push(el('p', 'runbook-description', header.description));

  if (!trusted) {
    const banner = el('div', 'trust-banner', `${UNTRUSTED_MESSAGE}. You can read this runbook, but its steps can only run once you trust the workspace.`);
    banner.setAttribute('role', 'status');
    children.push(banner);
  }

  root.replaceChildren(...children);
}
