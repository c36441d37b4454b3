// JUnit XML for a run: one test suite per runbook, one test case per step. Failed, timed-out and
// cancelled steps are failures; skipped steps and manual steps left for a person are skipped. The
// generated scripts' `--junit` and the `runbook` command's JUnit reporter both write it with this
// builder, and both turn a step's outcome into its test case with `stepCase`, so the same run gives
// the same cases (names, outcomes, messages, output) from either front end. Text is escaped for XML 1.0: markup characters become references, and characters XML
// cannot hold at all (terminal escapes, other control characters, lone surrogates) are replaced, so
// any step output makes a well-formed file.
// Self-contained (only `node:` imports): the script generator embeds this file in every script.

import { stripVTControlCharacters } from 'node:util';

export interface JUnitCase {
  name: string;
  /** Groups cases in CI views: the runbook's path. */
  classname: string;
  durationMs: number;
  outcome: 'passed' | 'failure' | 'skipped';
  /** Short reason: the failure's or the skip's message. */
  message?: string;
  /** The failure's kind (`failed`, `timed-out`, `cancelled`). */
  type?: string;
  /** The failure's body: the tail of the output, an expected-output difference. */
  details?: string;
  /** What the step printed (its tail), as `<system-out>`. */
  output?: string;
}

export interface JUnitSuite {
  name: string;
  /** ISO time the run started. */
  timestamp?: string;
  properties?: Record<string, string>;
  cases: JUnitCase[];
}

/** Characters XML 1.0 allows: tab, newline, carriage return, and from U+0020 on, minus surrogates and U+FFFE/U+FFFF. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text as XML character data: terminal colour codes dropped, impossible characters replaced. */
export function xmlText(text: string): string {
  return stripVTControlCharacters(text).replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text as a double-quoted attribute value; line breaks and tabs survive as references. */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** What became of one step of a headless run, as either front end records it. */
export interface StepOutcome {
  id: string;
  title: string;
  kind: 'code' | 'manual';
  /**
   * Code steps: `passed`, `failed`, `timed-out`, `cancelled`, or `skipped` (marked skip, skipped by
   * hand). Manual steps: `checked` (done by a person) or `skipped` (left for one). Either:
   * `not-run` (the run ended before it).
   */
  state: 'passed' | 'failed' | 'timed-out' | 'cancelled' | 'skipped' | 'checked' | 'not-run';
  durationMs?: number;
  /** Why it failed, why it was skipped, or why it was not run. */
  message?: string;
  /** The expected-output difference of a step that failed on it. */
  diff?: string;
  /** What it printed, secrets masked (the case keeps the tail). */
  output?: string;
}

/** How much of a step's output a test case keeps: the last lines, as CI views show them. */
export const JUNIT_OUTPUT_LINES = 200;
export const JUNIT_OUTPUT_CHARS = 64_000;

/** The last JUNIT_OUTPUT_LINES lines of `output`, at most JUNIT_OUTPUT_CHARS characters (a final newline is not a line). */
export function junitOutput(output: string): string {
  let text = output.replace(/\r?\n$/, '');
  const lines = text.split('\n');
  if (lines.length > JUNIT_OUTPUT_LINES) text = lines.slice(-JUNIT_OUTPUT_LINES).join('\n');
  if (text.length > JUNIT_OUTPUT_CHARS) {
    text = text.slice(-JUNIT_OUTPUT_CHARS);
    if (/^[\uDC00-\uDFFF]/.test(text)) text = text.slice(1); // never half a surrogate pair
  }
  return text;
}

/** A step's test case name: its title, and its id when the two differ (titles may repeat, ids never do). */
export function junitCaseName(title: string, id: string): string {
  return title === id ? id : `${title} (${id})`;
}

/** The test case of one step of a run. */
export function stepCase(step: StepOutcome, classname: string): JUnitCase {
  const base = { name: junitCaseName(step.title, step.id), classname, durationMs: step.durationMs ?? 0 };
  const output = step.output ? junitOutput(step.output) : undefined;
  const manual = step.kind === 'manual' ? 'manual step: ' : '';
  switch (step.state) {
    case 'passed':
      return { ...base, outcome: 'passed', output };
    case 'checked':
      return { ...base, outcome: 'passed', message: 'manual step: done by a person' };
    case 'skipped':
      return { ...base, outcome: 'skipped', message: step.kind === 'manual' ? 'manual step: left for a person' : (step.message ?? 'skipped') };
    case 'not-run':
      return { ...base, outcome: 'skipped', message: `${manual}not run: ${step.message ?? 'the run ended before it'}` };
    default: {
      const details = [step.diff, output].filter(Boolean).join('\n\n');
      return { ...base, outcome: 'failure', type: step.state, message: step.message ?? step.state, details, output };
    }
  }
}

function junitSeconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function caseXml(c: JUnitCase): string {
  const open = `    <testcase name="${xmlAttribute(c.name)}" classname="${xmlAttribute(c.classname)}" time="${junitSeconds(c.durationMs)}"`;
  const inner: string[] = [];
  const message = c.message !== undefined ? ` message="${xmlAttribute(c.message)}"` : '';
  if (c.outcome === 'failure') {
    inner.push(`      <failure${message} type="${xmlAttribute(c.type ?? 'failed')}">${xmlText(c.details ?? '')}</failure>`);
  } else if (c.outcome === 'skipped') {
    inner.push(`      <skipped${message}/>`);
  }
  if (c.output) inner.push(`      <system-out>${xmlText(c.output)}</system-out>`);
  return inner.length ? `${open}>\n${inner.join('\n')}\n    </testcase>` : `${open}/>`;
}

/** The whole JUnit XML document for `suites`. */
export function junitXml(suites: JUnitSuite[], name = 'runbooks'): string {
  const count = (cases: JUnitCase[], outcome: JUnitCase['outcome']) => cases.filter((c) => c.outcome === outcome).length;
  const all = suites.flatMap((suite) => suite.cases);
  const total = (cases: JUnitCase[]) => junitSeconds(cases.reduce((sum, c) => sum + Math.max(0, c.durationMs), 0));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttribute(name)}" tests="${all.length}" failures="${count(all, 'failure')}" errors="0" skipped="${count(all, 'skipped')}" time="${total(all)}">`,
  ];
  for (const suite of suites) {
    const stamp = suite.timestamp ? ` timestamp="${xmlAttribute(suite.timestamp)}"` : '';
    lines.push(
      `  <testsuite name="${xmlAttribute(suite.name)}" tests="${suite.cases.length}" failures="${count(suite.cases, 'failure')}" errors="0" skipped="${count(suite.cases, 'skipped')}" time="${total(suite.cases)}"${stamp}>`,
    );
    const properties = Object.entries(suite.properties ?? {});
    if (properties.length) {
      lines.push('    <properties>', ...properties.map(([key, value]) => `      <property name="${xmlAttribute(key)}" value="${xmlAttribute(value)}"/>`), '    </properties>');
    }
    lines.push(...suite.cases.map(caseXml), '  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
