import { strict as assert } from 'node:assert';
import { transcriptCommandLines, transcriptCommands } from '../../../src/core/runbook';
import { md, parse } from './helpers';

describe('runbook transcripts', () => {
  describe('transcriptCommands', () => {
    it('returns undefined when no line starts with `$ `', () => {
      assert.equal(transcriptCommands('ls -la\necho $HOME\n$HOME/bin/tool'), undefined);
      assert.equal(transcriptCommands(''), undefined);
      assert.equal(transcriptCommands('$'), undefined);
    });

    it('keeps only the prompted lines, without the prompt', () => {
      assert.equal(transcriptCommands(md('$ kubectl get pods', 'NAME   READY', 'api-1  1/1', '$ echo done', 'done')), 'kubectl get pods\necho done');
    });

    it('accepts indented prompts', () => {
      assert.equal(transcriptCommands(md('  $ ls', '  file')), 'ls');
    });

    it('keeps `\\` continuation lines, however many', () => {
      const source = md('$ kubectl get pods \\', '    -n payments \\', '    -o wide', 'NAME', '$ echo one', 'one');
      assert.equal(transcriptCommands(source), 'kubectl get pods \\\n    -n payments \\\n    -o wide\necho one');
    });

    it('keeps here-document bodies up to their terminator', () => {
      const source = md('$ cat <<EOF > /tmp/x', 'line one', '$ not a prompt', 'EOF', 'output', "$ cat <<-'END'", '\tbody', '\tEND', 'more output');
      assert.equal(transcriptCommands(source), "cat <<EOF > /tmp/x\nline one\n$ not a prompt\nEOF\ncat <<-'END'\n\tbody\n\tEND");
    });

    it('keeps the bodies of <<\\EOF, quoted, dashed and several here-documents, to their exact delimiter', () => {
      assert.equal(transcriptCommands(md('$ cat <<\\EOF', 'body $X', 'EOF', 'out')), 'cat <<\\EOF\nbody $X\nEOF');
      assert.equal(transcriptCommands(md('$ cat <<END-OF-DATA', 'END', 'END-OF-DATA', 'out')), 'cat <<END-OF-DATA\nEND\nEND-OF-DATA');
      // Only a line that is the delimiter ends the body: not one with spaces around it.
      assert.equal(transcriptCommands(md('$ cat <<EOF', ' EOF', 'EOF', 'out')), 'cat <<EOF\n EOF\nEOF');
      assert.equal(transcriptCommands(md('$ cat <<-EOF', '\tbody', '\tEOF', 'out')), 'cat <<-EOF\n\tbody\n\tEOF');
      assert.equal(transcriptCommands(md("$ paste <<ONE <<'TWO'", 'one', 'ONE', 'two', 'TWO', 'out')), "paste <<ONE <<'TWO'\none\nONE\ntwo\nTWO");
    });

    it("drops the terminal's secondary prompt `> ` from continuation and here-document lines", () => {
      const source = md('$ kubectl get pods \\', '>   -n payments', 'NAME', '$ cat <<EOF', '> ns: prod', '> EOF', 'ns: prod', '$ echo done');
      assert.equal(transcriptCommands(source), 'kubectl get pods \\\n  -n payments\ncat <<EOF\nns: prod\nEOF\necho done');
      const lines = transcriptCommandLines(source)!;
      assert.deepEqual(lines.map((l) => [l.line, l.column]), [[0, 2], [1, 2], [3, 2], [4, 2], [5, 2], [7, 2]]);
    });

    it('does not take a here-string for a here-document', () => {
      assert.equal(transcriptCommands(md('$ base64 -d <<< "aGVsbG8="', 'hello', '$ cat <<< "done"', 'done', 'done')), 'base64 -d <<< "aGVsbG8="\ncat <<< "done"');
    });

    it('does not take `$VAR` or `$(...)` lines for prompts', () => {
      assert.equal(transcriptCommands(md('$ echo hi', '$(date)', '$HOME')), 'echo hi');
    });
  });

  describe('in parsed steps', () => {
    for (const language of ['console', 'bash', 'shell', 'sh', 'zsh']) {
      it(`reads a \`${language}\` block with prompts as a transcript`, () => {
        const step = parse(md(`\`\`\`${language}`, '$ kubectl get ns', 'NAME STATUS', 'default Active', '```')).steps[0];
        assert.equal(step.transcript, true);
        assert.equal(step.code, 'kubectl get ns');
        assert.equal(step.source, '$ kubectl get ns\nNAME STATUS\ndefault Active');
      });
    }

    it('runs a `console` block without prompts as written', () => {
      const step = parse(md('```console', 'kubectl get ns', 'kubectl get pods', '```')).steps[0];
      assert.equal(step.transcript, false);
      assert.equal(step.code, 'kubectl get ns\nkubectl get pods');
      assert.equal(step.interpreter, 'bash');
    });

    it('does not read python or node blocks as transcripts', () => {
      const runbook = parse(md('```python', '$ not a prompt here', 'x = 1', '```', '```js', '$ = 1', 'x', '```'));
      assert.deepEqual(
        runbook.steps.map((s) => [s.transcript, s.code]),
        [
          [false, '$ not a prompt here\nx = 1'],
          [false, '$ = 1\nx'],
        ],
      );
    });

    it('keeps a multi-line transcript with continuations, inside a list item', () => {
      const text = md('1. Look:', '   ```console', '   $ kubectl get pods \\', '       -A', '   NAME', '   $ date', '   Mon', '   ```');
      const step = parse(text).steps[0];
      assert.equal(step.transcript, true);
      assert.equal(step.code, 'kubectl get pods \\\n    -A\ndate');
      assert.deepEqual([step.startLine, step.endLine], [1, 7]);
    });
  });
});
