// Which runbooks an issue names: by path, file name, title and runbook_url, and the cases that must
// not count (a one-word title, a title inside other words, a file name two runbooks share).

import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { MentionMatcher, RunbookPathIndex, runbookPathFromUrl } from '../../../src/core/insights';

const RUNBOOKS = [
  { path: 'runbooks/restart-api.runbook.md', title: 'Restart the payments API' },
  { path: 'runbooks/restart.md', title: 'Restart' },
  { path: 'runbooks/disk/Disk-Full.md', title: 'Disk full' },
  { path: 'runbooks/db/README.md', title: 'Database failover' },
  { path: 'runbooks/cache/README.md', title: 'Cache warm-up procedure' },
  { path: 'team-a/rotate.md', title: 'Rotate the TLS keys' },
  { path: 'team-b/rotate.md', title: 'Rotate the TLS keys' },
  { path: 'docs/Scale Up.markdown', title: 'Scale up the cluster' },
];
const PREFIXES = { 'https://runbooks.example.com/runbooks/': 'runbooks/', 'https://github.com/acme/ops/blob/main/': '' };
const matcher = new MentionMatcher(RUNBOOKS, PREFIXES);

function names(text: string): Record<string, string> {
  return Object.fromEntries(matcher.match(text));
}

describe('insights: issue mentions', () => {
  it('finds a runbook by its path, also inside a longer path or a Git host file URL, without case', () => {
    assert.deepEqual(names('See runbooks/restart-api.runbook.md.'), { 'runbooks/restart-api.runbook.md': 'path' });
    assert.deepEqual(names('./runbooks/restart-api.runbook.md'), { 'runbooks/restart-api.runbook.md': 'path' });
    assert.deepEqual(names('https://gitlab.example.com/acme/ops/-/blob/main/runbooks/disk/disk-full.md#verify'), { 'runbooks/disk/Disk-Full.md': 'path' });
    assert.deepEqual(names('[the runbook](runbooks/db/README.md)'), { 'runbooks/db/README.md': 'path' });
    assert.deepEqual(names('team-b/rotate.md and team-a/rotate.md'), { 'team-b/rotate.md': 'path', 'team-a/rotate.md': 'path' });
    assert.deepEqual(names('see docs/Scale%20Up.markdown.'), { 'docs/Scale Up.markdown': 'path' });
  });

  it('finds a runbook by its file name when that name is its own', () => {
    assert.deepEqual(names('restart-api.runbook.md is out of date'), { 'runbooks/restart-api.runbook.md': 'file-name' });
    assert.deepEqual(names('(`DISK-FULL.md`)'), { 'runbooks/disk/Disk-Full.md': 'file-name' });
  });

  it('does not find a runbook by a file name another runbook shares, or by README.md alone', () => {
    assert.deepEqual(names('rotate.md needs an update'), {});
    assert.deepEqual(names('Fix the typo in README.md'), {});
    assert.deepEqual(names('restart-api.runbook.mdx and restart.markdown'), {});
  });

  it('finds a runbook by a runbook_url under a configured prefix: no extension, trailing slash, any case, query and fragment', () => {
    assert.deepEqual(names('runbook_url: https://runbooks.example.com/runbooks/restart-api'), { 'runbooks/restart-api.runbook.md': 'url' });
    assert.deepEqual(names('<https://RUNBOOKS.example.com/runbooks/disk/disk-full/?from=alert#steps>'), { 'runbooks/disk/Disk-Full.md': 'url' });
    assert.deepEqual(names('https://runbooks.example.com/runbooks/db/'), { 'runbooks/db/README.md': 'url' });
    assert.deepEqual(names('https://runbooks.example.com/runbooks/db/index.html.'), { 'runbooks/db/README.md': 'url' });
    assert.deepEqual(names('https://other.example.com/runbooks/restart-api'), {});
    assert.deepEqual(names('https://runbooks.example.com/runbooks/missing-page'), {});
  });

  it('a path beats a URL, a URL beats a file name, a file name beats a title', () => {
    assert.deepEqual(names('Restart the payments API (restart-api.runbook.md, https://runbooks.example.com/runbooks/restart-api)'), { 'runbooks/restart-api.runbook.md': 'url' });
    assert.deepEqual(names('Restart the payments API: restart-api.runbook.md'), { 'runbooks/restart-api.runbook.md': 'file-name' });
    assert.deepEqual(names('https://runbooks.example.com/runbooks/restart-api or runbooks/restart-api.runbook.md'), { 'runbooks/restart-api.runbook.md': 'path' });
  });

  it('finds a title as a whole phrase, whatever the case, spacing, line breaks and punctuation around it', () => {
    assert.deepEqual(names('We had to RESTART the payments\n  API twice.'), { 'runbooks/restart-api.runbook.md': 'title' });
    assert.deepEqual(names('"Database failover" was slow'), { 'runbooks/db/README.md': 'title' });
    assert.deepEqual(names('Ran the cache warm up procedure'), { 'runbooks/cache/README.md': 'title' });
  });

  it('does not find a one-word or short title, a title inside longer words, or a title two runbooks share', () => {
    // "Restart": one word, in too many issues.
    assert.deepEqual(names('Please restart the worker; restart it again after the restart.'), {});
    // "Disk full" is shorter than MIN_TITLE_CHARS.
    assert.deepEqual(names('The disk full alert fired'), {});
    // Word boundaries: neither "restarted"/"restarting" nor "APIs" is the title's word.
    assert.deepEqual(names('We restarted the payments APIs'), {});
    assert.deepEqual(names('Restarting the payments API pods did not help'), {});
    assert.deepEqual(names('Restart the payments service'), {});
    // Two runbooks are titled "Rotate the TLS keys": a title alone cannot tell which.
    assert.deepEqual(names('Rotate the TLS keys before Friday'), {});
  });

  it('counts every runbook an issue names', () => {
    assert.deepEqual(Object.keys(names('Restart the payments API, then Database failover; see runbooks/disk/Disk-Full.md')).sort(), [
      'runbooks/db/README.md',
      'runbooks/disk/Disk-Full.md',
      'runbooks/restart-api.runbook.md',
    ]);
  });
});

describe('insights: runbook_url → runbook', () => {
  it('maps a URL under the longest matching prefix to a repository path, as written', () => {
    const prefixes = { 'https://docs.example.com/': 'docs', 'https://docs.example.com/ops/runbooks': 'ops/runbooks/' };
    assert.equal(runbookPathFromUrl('https://docs.example.com/ops/runbooks/Restart-API.md', prefixes), 'ops/runbooks/Restart-API.md');
    assert.equal(runbookPathFromUrl('https://docs.example.com/ops/runbooks', prefixes), 'ops/runbooks');
    assert.equal(runbookPathFromUrl('https://docs.example.com/other/x', prefixes), 'docs/other/x');
    assert.equal(runbookPathFromUrl('https://docs.example.com/ops/runbooks%20old/x', prefixes), 'docs/ops/runbooks old/x');
    assert.equal(runbookPathFromUrl('https://docs.example.com/ops/runbooksold/x', prefixes), 'docs/ops/runbooksold/x');
  });

  it('gives nothing for another host or scheme, a path that leaves the folder, or text that is not a URL', () => {
    const prefixes = { 'https://docs.example.com/runbooks/': 'runbooks/' };
    assert.equal(runbookPathFromUrl('https://evil.example.com/runbooks/x', prefixes), undefined);
    assert.equal(runbookPathFromUrl('ftp://docs.example.com/runbooks/x', prefixes), undefined);
    assert.equal(runbookPathFromUrl('https://docs.example.com/runbooks/%2e%2e/secrets', prefixes), undefined);
    assert.equal(runbookPathFromUrl('https://docs.example.com/runbooks/a%5C..%5Cb', prefixes), undefined);
    assert.equal(runbookPathFromUrl('https://docs.example.com/runbooks/%E0%A4%A', prefixes), undefined);
    assert.equal(runbookPathFromUrl('not a url', prefixes), undefined);
  });

  it('an index finds the one runbook a URL names; an exact path wins over a case-insensitive twin', () => {
    const index = new RunbookPathIndex(['runbooks/Node.md', 'runbooks/node.md', 'runbooks/Disk.md'], { 'https://r.example.com/': 'runbooks' });
    assert.equal(index.find('https://r.example.com/Node.md'), 'runbooks/Node.md');
    assert.equal(index.find('https://r.example.com/node'), undefined);
    assert.equal(index.find('https://r.example.com/disk/'), 'runbooks/Disk.md');
  });

  const corpus = resolve(__dirname, '../../../../shared/corpus');
  const markdownFiles = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).replace(/\\/g, '/'));

  it('maps the corpus\'s real runbook_url forms to its files (prometheus-operator\'s docs site, GitHub file links)', function () {
    if (!existsSync(corpus)) this.skip();
    const operator = join(corpus, 'prometheus-operator__runbooks');
    const operatorFiles = markdownFiles(operator);
    const operatorIndex = new RunbookPathIndex(operatorFiles, { 'https://runbooks.prometheus-operator.dev/runbooks/': 'content/runbooks/' });
    // The alerting rules link e.g. https://runbooks.prometheus-operator.dev/runbooks/node/nodefilesystemspacefillingup
    for (const file of operatorFiles) {
      const page = file.replace(/^content\/runbooks\//, '').replace(/(\/_index)?\.md$/, '').toLowerCase();
      assert.equal(operatorIndex.find(`https://runbooks.prometheus-operator.dev/runbooks/${page}`), file, page);
    }
    const openshift = join(corpus, 'openshift__runbooks');
    const openshiftFiles = markdownFiles(openshift);
    const openshiftIndex = new RunbookPathIndex(openshiftFiles, { 'https://github.com/openshift/runbooks/blob/master/': '' });
    for (const file of openshiftFiles) assert.equal(openshiftIndex.find(`https://github.com/openshift/runbooks/blob/master/${file}`), file);
    assert.ok(operatorFiles.length > 20 && openshiftFiles.length > 100);
  });
});
