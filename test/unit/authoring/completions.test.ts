import { strict as assert } from 'node:assert';
import { completionsAt } from '../../../src/core/authoring';
import { cursor, load } from './helpers';

/** What completionsAt returns at `|`, with the document's lines. */
function at(textWithCursor: string) {
  const { text, line, character } = cursor(textWithCursor);
  const { runbook, lines } = load(text);
  return { found: completionsAt(runbook, lines, line, character), lines, line, character };
}

/** Labels offered at `|`, and the text the first would replace. */
function complete(textWithCursor: string): { labels: string[]; replaces: string; inserts: string[] } | undefined {
  const { text, line, character } = cursor(textWithCursor);
  const { runbook, lines } = load(text);
  const found = completionsAt(runbook, lines, line, character);
  if (!found) return undefined;
  return { labels: found.suggestions.map((s) => s.label), replaces: lines[line].slice(found.from, character), inserts: found.suggestions.map((s) => s.insertText) };
}

describe('completions', () => {
  describe('front matter', () => {
    it('offers the top-level keys not yet written, with their descriptions', () => {
      const result = complete('---\ntitle: Restart\nen|\n---\n# Restart');
      assert.ok(result);
      assert.equal(result.replaces, 'en');
      assert.ok(result.labels.includes('environment') && result.labels.includes('inputs'));
      assert.ok(!result.labels.includes('title'), 'title is already there');
      assert.equal(result.inserts[result.labels.indexOf('environment')], 'environment: ');
    });

    it('offers values for a key with known values', () => {
      assert.deepEqual(complete('---\nshell: |\n---')?.labels, ['bash', 'sh', 'zsh']);
      assert.deepEqual(complete('---\nenvironment: pro|\n---')?.labels, ['production', 'staging', 'development']);
      assert.equal(complete('---\nenvironment: pro|\n---')?.replaces, 'pro');
      assert.deepEqual(complete('---\nrunbook: |\n---')?.labels, ['true', 'false']);
      assert.equal(complete('---\nowner: |\n---'), undefined);
    });

    it('offers input fields in a block mapping, without the ones written', () => {
      const result = complete('---\ninputs:\n  REGION:\n    description: Region\n    |\n---');
      assert.ok(result);
      assert.ok(result.labels.includes('type') && result.labels.includes('secret') && result.labels.includes('pattern'));
      assert.ok(!result.labels.includes('description'));
      assert.ok(!result.labels.includes('name'));
    });

    it('leaves out only the fields of the input being written, not those of the inputs after it', () => {
      const result = complete('---\ninputs:\n  A:\n    |\n  B:\n    description: b\n    default: x\n    secret: false\n---');
      assert.ok(result && ['description', 'default', 'secret'].every((field) => result.labels.includes(field)), result?.labels.join(', '));
    });

    it('offers input fields and their values inside a flow mapping', () => {
      const fields = complete('---\ninputs:\n  REGION: { description: Region, |}\n---');
      assert.ok(fields && fields.labels.includes('default') && !fields.labels.includes('description'));
      assert.deepEqual(complete('---\ninputs:\n  REPLICAS: { type: n| }\n---')?.labels, ['string', 'number', 'boolean']);
      assert.deepEqual(complete('---\ninputs:\n  TOKEN:\n    secret: |\n---')?.labels, ['true', 'false']);
    });

    it('offers, as input names, the variables steps use that are not declared', () => {
      const result = complete('---\ninputs:\n  REGION: { description: Region }\n  |\n---\n```bash\necho "$REGION $CLUSTER" <pod-name>\n```');
      assert.deepEqual(result?.labels, ['POD_NAME', 'CLUSTER']);
      assert.equal(result?.inserts[1], 'CLUSTER: ');
    });
  });

  describe('fence attributes', () => {
    it('offers attribute names after "{" and a space, without those written', () => {
      const result = complete('```bash {name=x |}\necho\n```');
      assert.ok(result);
      assert.ok(result.labels.includes('timeout') && result.labels.includes('confirm'));
      assert.ok(!result.labels.includes('name'));
      assert.ok(!result.labels.includes('excludeFromRunAll'), 'the alias other tools write is read, not offered');
      assert.equal(result.inserts[result.labels.indexOf('timeout')], 'timeout=');
      assert.equal(result.inserts[result.labels.indexOf('confirm')], 'confirm');
      assert.equal(complete('```bash {ti|}\necho\n```')?.replaces, 'ti');
    });

    it('offers values after "="', () => {
      assert.deepEqual(complete('```bash {timeout=|}\necho\n```')?.labels, ['30s', '2m', '10m', '1h']);
      assert.deepEqual(complete('```bash {confirm=t|}\necho\n```')?.labels, ['true', 'false']);
      assert.deepEqual(complete('```bash\necho\n```\n```output {match=|}\nx\n```')?.labels, ['contains', 'exact', 'regex']);
    });

    it('offers only match on an expected-output fence, and works while the brace is unclosed', () => {
      assert.deepEqual(complete('```bash\necho\n```\n```output {|\nx\n```')?.labels, ['match']);
      assert.ok(complete('```bash {|\necho\n```')?.labels.includes('timeout'));
    });

    it('offers JSON keys and quoted values in the JSON form', () => {
      const keys = complete('```bash {"name": "a", "|}\necho\n```');
      assert.ok(keys && keys.labels.includes('timeout'));
      assert.equal(keys.inserts[keys.labels.indexOf('timeout')], '"timeout": ');
      assert.equal(keys.replaces, '"');
      assert.deepEqual(complete('```bash {"timeout": |}\necho\n```')?.inserts, ['"30s"', '"2m"', '"10m"', '"1h"']);
      assert.deepEqual(complete('```bash {"confirm": |}\necho\n```')?.inserts, ['true', 'false']);
    });

    it('says how to filter JSON keys, offers the values after a key, and errexit only as false', () => {
      const json = at('```bash {"na|}\necho\n```');
      assert.equal(json.found?.suggestions.find((s) => s.label === 'name')?.filterText, '"name"');
      assert.equal(json.lines[json.line].slice(json.found?.from, json.character), '"na');
      const byLabel = Object.fromEntries((at('```bash {|}\necho\n```').found?.suggestions ?? []).map((s) => [s.label, s]));
      assert.equal(byLabel.errexit.insertText, 'errexit=false');
      assert.equal(byLabel.timeout.offersValues, true);
      assert.equal(byLabel.confirm.offersValues, false);
      assert.equal(byLabel.cwd.offersValues, false);
    });

    it('takes in the quote the editor closed after a typed one, in the JSON form', () => {
      const { found, character } = at('```bash {"name": "a", "|"}\necho\n```');
      assert.equal(found?.insertTo, character + 1);
      assert.equal(at('```bash {"name": "a", "|}\necho\n```').found?.insertTo, at('```bash {"name": "a", "|}\necho\n```').character);
    });

    it('in replace mode, replaces the key under the cursor with its separator, leaving the value', () => {
      const cases: Array<[string, string, string]> = [
        ['---\nenv|ironment: x\n---', 'environment', 'environment: x'],
        ['```bash {tim|eout=5m}\necho\n```', 'cwd', '```bash {cwd=5m}'],
        ['```bash {"tim|eout": "5m"}\necho\n```', 'cwd', '```bash {"cwd": "5m"}'],
      ];
      for (const [text, label, expected] of cases) {
        const { found, lines, line } = at(text);
        const suggestion = found?.suggestions.find((s) => s.label === label);
        assert.ok(found && suggestion, text);
        const replaced = lines[line].slice(0, found.from) + suggestion.insertText + lines[line].slice(found.to);
        assert.equal(replaced, expected);
      }
    });

    it('leaves alone a quote that opens the next JSON key', () => {
      const { found, lines, line, character } = at('```bash {"confirm": true, "|"name": "x"}\necho\n```');
      assert.equal(found?.insertTo, character);
      const timeout = found.suggestions.find((s) => s.label === 'timeout')!;
      assert.equal(lines[line].slice(0, found.from) + timeout.insertText + lines[line].slice(found.insertTo), '```bash {"confirm": true, "timeout": "name": "x"}');
    });

    it('offers nothing on a fence-looking line that is not a fence of the runbook', () => {
      assert.equal(complete('````markdown\n```bash {|}\necho\n```\n````'), undefined);
      assert.equal(complete('Text\n\n    ```bash {|}\n    echo'), undefined);
    });

    it('offers nothing outside the braces or on a fence that is not a step', () => {
      assert.equal(complete('```bash {name=x} |\necho\n```'), undefined);
      assert.equal(complete('```yaml {|}\na: 1\n```'), undefined);
      assert.equal(complete('Some prose {|}'), undefined);
    });
  });

  it('offers declared inputs on the last line of a step still being written (no closing fence yet)', () => {
    assert.deepEqual(complete('---\ninputs:\n  REGION: { description: R, default: eu }\n---\n```bash\necho $RE|')?.labels, ['REGION']);
  });

  it('offers a Markdown file that is not a runbook only the keys that would make it one', () => {
    const { text, line, character } = cursor('---\ntitle: Notes\n|\n---\n```bash {|}\n```');
    const { runbook, lines } = load(text);
    assert.deepEqual(completionsAt(runbook, lines, line, character, { isRunbook: false })?.suggestions.map((s) => s.label), ['runbook', 'inputs']);
    assert.equal(completionsAt(runbook, lines, 4, 9, { isRunbook: false }), undefined);
  });

  it('offers input fields in the list form of inputs', () => {
    const block = complete('---\ninputs:\n- name: A\n  description: a\n  |\n---');
    assert.ok(block && block.labels.includes('secret') && !block.labels.includes('description'), block?.labels.join(', '));
    const flow = complete('---\ninputs:\n  - { name: A, se| }\n---');
    assert.ok(flow && flow.labels.includes('secret'));
  });

  it('offers declared inputs after "$" in a shell step, not in prose or other languages', () => {
    const text = '---\ninputs:\n  REGION: { description: Region, default: eu }\n---\n```bash\necho ${RE|\n```';
    const result = complete(text);
    assert.deepEqual(result?.labels, ['REGION']);
    assert.equal(result?.replaces, 'RE');
    assert.equal(complete('---\ninputs:\n  REGION: { description: R, default: eu }\n---\nCost in $|'), undefined);
    assert.equal(complete('---\ninputs:\n  REGION: { description: R, default: eu }\n---\n```python\nx = "$|"\n```'), undefined);
  });
});
