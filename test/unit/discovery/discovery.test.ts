import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRunbooks, isRunbookFile, matchesInclude, readRunbookHeader, RunbookIndex } from '../../../src/core/discovery';
import { parseRunbook } from '../../../src/core/runbook';
import { CORPUS, markdownFilesUnder } from '../../support/corpus';
import { makeTempDir, removeDir } from '../run/helpers';

describe('runbook discovery', () => {
  describe('the header, read without a Markdown parse', () => {
    it('takes the title from the front matter, else the first level-1 heading, else the file name', () => {
      assert.equal(readRunbookHeader('---\ntitle: From front matter\n---\n# Heading\n').title, 'From front matter');
      assert.equal(readRunbookHeader('Intro\n\n## Not this\n\n# The *real* `title`\n').title, 'The real title');
      assert.equal(readRunbookHeader('```bash\n# a comment, not a heading\n```\n\n# After the fence\n').title, 'After the fence');
      assert.equal(readRunbookHeader('<!--\n# commented out\n-->\n\nSetext title\n===\n').title, 'Setext title');
      assert.equal(readRunbookHeader('Setext  title\n  over two lines\n===\n').title, parseRunbook('Setext  title\n  over two lines\n===\n').title);
      assert.equal(readRunbookHeader('A *marked*\nheading\n===\n').title, 'A marked heading');
      assert.equal(readRunbookHeader('> # Quoted heading\n').title, 'Quoted heading');
      assert.equal(readRunbookHeader('no heading at all', '/x/restart-api.runbook.md').title, 'restart-api');
    });

    it('says whether the front matter declares a runbook, and never throws on bad YAML', () => {
      assert.equal(readRunbookHeader('---\nrunbook: true\n---\n').declaresRunbook, true);
      assert.deepEqual(readRunbookHeader('---\ninputs:\n  NS: {}\n  POD:\n---\n').inputNames, ['NS', 'POD']);
      assert.equal(readRunbookHeader('---\ntitle: [unclosed\n---\n# H\n').title, 'H');
      assert.equal(readRunbookHeader('# plain\n').declaresRunbook, false);
    });

    it('agrees with the full parse on every corpus file (skipped without ../shared/corpus)', function () {
      const files = markdownFilesUnder(CORPUS);
      if (files.length === 0) this.skip();
      assert.ok(files.length > 200);
      const differ: string[] = [];
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        const runbook = parseRunbook(text, { path: file });
        const header = readRunbookHeader(text, file);
        const declares = runbook.meta.declaredRunbook || runbook.frontMatter?.inputs !== undefined;
        if (header.title !== runbook.title || header.declaresRunbook !== declares) differ.push(`${file}: ${JSON.stringify(header.title)} vs ${JSON.stringify(runbook.title)}`);
      }
      assert.deepEqual(differ, []);
    });
  });

  describe('which files are runbooks', () => {
    it('matches the include globs as VS Code does, and leaves node_modules and .git out', () => {
      assert.equal(matchesInclude('runbooks/restart.md'), true);
      assert.equal(matchesInclude('docs/runbooks/deep/restart.md'), true);
      assert.equal(matchesInclude('ops/restart.runbook.md'), true);
      assert.equal(matchesInclude('README.md'), false);
      assert.equal(isRunbookFile('README.md', true), true);
      assert.equal(isRunbookFile('node_modules/pkg/runbooks/x.md', true), false);
      assert.equal(isRunbookFile('runbooks/notes.txt', true), false);
    });

    it('finds runbooks under folders on disk, by path or front matter', async () => {
      const dir = makeTempDir('runbook-discover-');
      try {
        mkdirSync(join(dir, 'runbooks', 'db'), { recursive: true });
        mkdirSync(join(dir, 'node_modules', 'x', 'runbooks'), { recursive: true });
        writeFileSync(join(dir, 'runbooks', 'db', 'failover.md'), '# Fail over\n');
        writeFileSync(join(dir, 'README.md'), '# Readme\n```bash\necho hi\n```\n');
        writeFileSync(join(dir, 'ops.md'), '---\nrunbook: true\n---\n# Ops\n');
        writeFileSync(join(dir, 'node_modules', 'x', 'runbooks', 'no.md'), '# No\n');
        const found = await discoverRunbooks([dir]);
        assert.deepEqual(found.map((f) => [f.relativePath, f.header.title]), [['ops.md', 'Ops'], ['runbooks/db/failover.md', 'Fail over']]);
      } finally {
        removeDir(dir);
      }
    });
  });

  describe('the index', () => {
    it('keeps entries sorted and removes a deleted folder by range', () => {
      const index = new RunbookIndex<number>();
      for (const [i, path] of ['b/x.md', 'a/y.md', 'a/b/z.md', 'ab.md', 'a.md', 'c.md'].entries()) index.set(path, i);
      assert.deepEqual([...index].map(([path]) => path), ['a.md', 'a/b/z.md', 'a/y.md', 'ab.md', 'b/x.md', 'c.md']);
      assert.equal(index.deleteUnder('a'), 2);
      assert.deepEqual([...index].map(([path]) => path), ['a.md', 'ab.md', 'b/x.md', 'c.md']);
      assert.equal(index.delete('c.md'), true);
      assert.equal(index.delete('c.md'), false);
      assert.equal(index.size, 3);
    });
  });
});
