// The inputs form: one field per runbook input, validated as the user types with the same rules
// the host applies (checkInputValue), and sent to the host (debounced) only when valid. What the
// user typed is never overwritten by a re-render while they are typing in it or while it is
// invalid or not yet sent; secret values are never shown.

import { checkInputValue } from '../core/runbook/inputValue';
import type { InputView } from '../features/preview/protocol';
import { el } from './dom';
import { post } from './vscodeApi';

const DEBOUNCE_MS = 300;
const STORED_PLACEHOLDER = '••••• stored';

type Control = HTMLInputElement | HTMLSelectElement;

interface Field {
  view: InputView;
  signature: string;
  root: HTMLElement;
  control: Control;
  error: HTMLElement;
  timer?: ReturnType<typeof setTimeout>;
  /** The control holds text the host does not have yet (pending or invalid). */
  dirty: boolean;
}

const fields = new Map<string, Field>();

function controlId(name: string): string {
  return `rb-input-${name}`;
}

/** The view without what may change while the field stays the same control. */
function signatureOf(view: InputView): string {
  return JSON.stringify({ ...view, value: undefined, hasValue: undefined, placeholder: undefined });
}

function readValue(field: Field): string {
  const { control } = field;
  if (control instanceof HTMLInputElement && control.type === 'checkbox') return control.checked ? 'true' : 'false';
  return control.value;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Why `value` is not acceptable, or undefined. */
export function validate(view: InputView, value: string): string | undefined {
  // An empty secret field with a stored value keeps the stored value.
  if (view.secret && view.hasValue && value === '') return undefined;
  let compiled: RegExp | undefined;
  if (view.pattern !== undefined) {
    try {
      compiled = new RegExp(view.pattern, 'u');
    } catch {
      compiled = undefined;
    }
  }
  const spec = { ...view, pattern: compiled ? view.pattern : undefined };
  const reason = checkInputValue(spec, value, compiled);
  return reason === undefined ? undefined : capitalize(reason);
}

function showValidity(field: Field, value: string): boolean {
  const reason = validate(field.view, value);
  field.error.textContent = reason ?? '';
  field.error.hidden = reason === undefined;
  // The error is tied to its field twice: read with the field's description (aria-describedby,
  // set once in createField) and named as its error message while the value is invalid.
  if (reason === undefined) {
    field.control.removeAttribute('aria-invalid');
    field.control.removeAttribute('aria-errormessage');
  } else {
    field.control.setAttribute('aria-invalid', 'true');
    field.control.setAttribute('aria-errormessage', field.error.id);
  }
  field.root.classList.toggle('invalid', reason !== undefined);
  return reason === undefined;
}

function send(field: Field): void {
  clearTimeout(field.timer);
  field.timer = undefined;
  const value = readValue(field);
  if (!showValidity(field, value)) return;
  // An empty secret field means "keep what is stored".
  if (field.view.secret && value === '') {
    field.dirty = false;
    return;
  }
  post({ type: 'setInput', name: field.view.name, value });
  field.dirty = false;
}

function onInput(field: Field): void {
  field.dirty = true;
  clearTimeout(field.timer);
  field.timer = undefined;
  if (showValidity(field, readValue(field))) field.timer = setTimeout(() => send(field), DEBOUNCE_MS);
}

function createField(view: InputView): Field {
  const id = controlId(view.name);
  const root = el('div', 'field');
  root.dataset.inputName = view.name;

  const label = el('label', 'field-label', view.name);
  label.htmlFor = id;
  if (view.required) {
    const mark = el('span', 'required-mark', ' *');
    mark.title = 'Required';
    mark.setAttribute('aria-hidden', 'true');
    label.append(mark);
  }

  let control: Control;
  if (view.choices && view.choices.length > 0 && view.type !== 'boolean') {
    control = el('select', 'field-control');
  } else {
    control = el('input', 'field-control');
    if (view.type === 'boolean') control.type = 'checkbox';
    else if (view.secret) {
      control.type = 'password';
      control.autocomplete = 'off';
    } else {
      control.type = 'text';
      if (view.type === 'number') control.inputMode = 'decimal';
    }
    control.spellcheck = false;
  }
  control.id = id;
  control.name = view.name;
  if (view.required) control.setAttribute('aria-required', 'true');

  const describedBy: string[] = [];
  const error = el('div', 'field-error');
  error.id = `${id}-error`;
  error.hidden = true;
  error.setAttribute('aria-live', 'polite');
  describedBy.push(error.id);

  const help = view.description ? el('div', 'field-help', view.description) : undefined;
  if (help) {
    help.id = `${id}-help`;
    describedBy.unshift(help.id);
  }
  const hints = [
    view.type === 'number' && view.min !== undefined ? `min ${view.min}` : '',
    view.type === 'number' && view.max !== undefined ? `max ${view.max}` : '',
    view.pattern !== undefined ? `pattern ${view.pattern}` : '',
  ].filter(Boolean);
  const hint = hints.length > 0 ? el('div', 'field-hint', hints.join(' · ')) : undefined;
  if (hint) {
    hint.id = `${id}-hint`;
    describedBy.splice(describedBy.length - 1, 0, hint.id);
  }
  control.setAttribute('aria-describedby', describedBy.join(' '));

  if (control instanceof HTMLInputElement && control.type === 'checkbox') {
    root.classList.add('field-checkbox');
    const row = el('div', 'field-row');
    row.append(control, label);
    root.append(row);
  } else {
    root.append(label, control);
  }
  if (help) root.append(help);
  if (hint) root.append(hint);
  root.append(error);

  const field: Field = { view, signature: signatureOf(view), root, control, error, dirty: false };
  const isText = control instanceof HTMLInputElement && control.type !== 'checkbox';
  if (isText) {
    control.addEventListener('input', () => onInput(field));
    control.addEventListener('change', () => {
      if (field.dirty) send(field);
    });
  } else {
    control.addEventListener('change', () => {
      field.dirty = true;
      send(field);
    });
  }
  return field;
}

function fillSelect(select: HTMLSelectElement, view: InputView, value: string): void {
  const options: HTMLOptionElement[] = [];
  const choices = view.choices ?? [];
  if (!choices.includes(value) || !view.required) {
    const empty = el('option', undefined, view.required ? 'Choose…' : '—');
    empty.value = '';
    if (view.required) empty.disabled = true;
    options.push(empty);
  }
  for (const choice of choices) {
    const option = el('option', undefined, choice);
    option.value = choice;
    options.push(option);
  }
  select.replaceChildren(...options);
  select.value = choices.includes(value) ? value : '';
}

/** Puts the host's value into the field, unless the user's own text must be kept. */
function update(field: Field, view: InputView, focused: Element | null): void {
  field.view = view;
  const { control } = field;
  if (control instanceof HTMLInputElement && control.type === 'password') {
    control.placeholder = view.hasValue ? STORED_PLACEHOLDER : (view.placeholder ?? '');
  } else if (control instanceof HTMLInputElement && control.type === 'text') {
    control.placeholder = view.placeholder ?? '';
  }
  const keepLocal = control === focused || field.dirty;
  if (!keepLocal) {
    const value = view.secret ? '' : (view.value ?? '');
    if (control instanceof HTMLSelectElement) fillSelect(control, view, value);
    else if (control.type === 'checkbox') control.checked = value === 'true';
    else if (control.value !== value) control.value = value;
  } else if (control instanceof HTMLSelectElement && control.options.length === 0) {
    fillSelect(control, view, view.value ?? '');
  }
  showValidity(field, readValue(field));
}

/** Builds or updates the form for `inputs`, keeping focus, caret and unsent text. */
export function renderInputs(root: HTMLElement, inputs: InputView[]): void {
  const focused = document.activeElement;
  const selection =
    focused instanceof HTMLInputElement && focused.type !== 'checkbox' && focused.type !== 'password'
      ? [focused.selectionStart, focused.selectionEnd]
      : undefined;

  let list = root.querySelector<HTMLElement>(':scope > .inputs-fields');
  if (!list) {
    const heading = el('h2', 'inputs-heading', 'Inputs');
    list = el('div', 'inputs-fields');
    root.replaceChildren(heading, list);
  }

  const wanted: Field[] = [];
  const seen = new Set<string>();
  for (const view of inputs) {
    if (!view || typeof view.name !== 'string' || seen.has(view.name)) continue;
    seen.add(view.name);
    let field = fields.get(view.name);
    if (!field || field.signature !== signatureOf(view)) {
      if (field) clearTimeout(field.timer);
      field = createField(view);
      fields.set(view.name, field);
    }
    update(field, view, focused);
    wanted.push(field);
  }
  for (const [name, field] of fields) {
    if (!seen.has(name)) {
      clearTimeout(field.timer);
      field.root.remove();
      fields.delete(name);
    }
  }
  // Reorder in place, moving only what is out of place (moving a node loses its focus).
  let cursor = list.firstElementChild;
  for (const field of wanted) {
    if (cursor === field.root) cursor = cursor.nextElementSibling;
    else list.insertBefore(field.root, cursor);
  }
  while (cursor) {
    const next = cursor.nextElementSibling;
    cursor.remove();
    cursor = next;
  }
  root.hidden = wanted.length === 0;

  if (focused instanceof HTMLElement && focused.isConnected && document.activeElement !== focused) {
    focused.focus();
    if (selection && focused instanceof HTMLInputElement) focused.setSelectionRange(selection[0], selection[1]);
  }
}
