// Checks a step's output against its expected-output block: the same check and difference in the
// engine and in generated scripts. Self-contained (no imports): the script generator embeds this
// file in every script.

/** What a step should print: a runbook's `output` block (`ExpectedOutput` fits). */
export interface ExpectedSpec {
  text: string;
  match: 'contains' | 'exact' | 'regex';
}

export interface ExpectedCheck {
  ok: boolean;
  /** A unified-style difference between expected and actual output, when they differ. */
  diff?: string;
  message: string;
}

function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/^\n+|\n+$/g, '');
}

export function checkExpected(output: string, expected: ExpectedSpec, truncated = false): ExpectedCheck {
  const actual = normalize(output);
  const wanted = normalize(expected.text);
  let ok: boolean;
  switch (expected.match) {
    case 'exact':
      ok = actual === wanted;
      break;
    case 'regex':
      try {
        ok = new RegExp(wanted, 'm').test(actual);
      } catch (error) {
        return { ok: false, message: `The expected output is not a valid regular expression: ${(error as Error).message}.` };
      }
      break;
    default:
      ok = actual.includes(wanted);
  }
  if (ok) return { ok, message: 'Output matches the expected output.' };
  const how = expected.match === 'regex' ? 'match the pattern' : expected.match === 'exact' ? 'equal' : 'contain';
  const note = truncated ? ' (only the newest output was kept and checked)' : '';
  return {
    ok,
    message: `Output does not ${how} the expected output${note}.`,
    diff: lineDiff(wanted, actual),
  };
}

/** A minimal line diff (LCS), `-` for expected lines missing, `+` for lines printed instead. */
export function lineDiff(expected: string, actual: string, maxLines = 400): string {
  const a = expected.split('\n').slice(0, maxLines);
  const b = actual.split('\n').slice(-maxLines);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      lines.push(`+ ${b[j++]}`);
    } else {
      lines.push(`- ${a[i++]}`);
    }
  }
  return lines.join('\n');
}
