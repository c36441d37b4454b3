import { strict as assert } from 'node:assert';
import { renderRunbook } from '../../../src/core/runbook';
import { md, parse } from './helpers';

/** Renders `text` as the preview would, resolving relative paths to `res:<path>`. */
function render(text: string): string {
  return renderRunbook(text, parse(text), {
    resolveResource: (href) => (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') ? undefined : `res:${href}`),
  });
}

/** The attribute values of every `attribute` in `html`, in order. */
function attributes(html: string, attribute: string): string[] {
  return [...html.matchAll(new RegExp(`\\s${attribute}="([^"]*)"`, 'g'))].map((match) => match[1]);
}

describe('the preview HTML', () => {
  describe('names for assistive technology', () => {
    it("names each of a step's buttons after the step", () => {
      const html = render(md('```bash {name=drain-node}', 'kubectl drain x', '```'));
      assert.deepEqual(attributes(html, 'aria-label'), ['Run drain-node', 'Stop drain-node', 'Copy drain-node', 'Run drain-node in the terminal']);
      // The visible text stays the short word, which the name starts with (WCAG 2.5.3, label in name).
      assert.match(html, />Run<\/button>/);
    });

    it("escapes a step's title in its names", () => {
      const html = render(md('Restart "api" & then.', '', '```bash', 'true', '```'));
      assert.ok(html.includes('aria-label="Run Restart &quot;api&quot; &amp; then"'), html);
    });

    it('labels the step block with its title and badge, and lets it take focus without a Tab stop', () => {
      const html = render(md('```bash {name=check}', 'true', '```'));
      assert.match(html, /<section class="step" data-step-id="check" [^>]*role="group" tabindex="-1" aria-labelledby="step-check-title step-check-badge">/);
      assert.match(html, /<span class="step-title" id="step-check-title">check<\/span>/);
      assert.match(html, /<span class="step-badge" id="step-check-badge"/);
      assert.match(html, /<summary>Output<span class="visually-hidden"> of check<\/span><\/summary>/);
    });

    it('gives unique element ids when two steps share an id', () => {
      const html = render(md('```bash {name=same}', 'echo 1', '```', '', '```bash {name=same}', 'echo 2', '```'));
      const ids = attributes(html, 'id');
      assert.equal(new Set(ids).size, ids.length, ids.join(', '));
      assert.ok(ids.includes('step-same-title') && ids.includes('step-same-2-title'));
    });

    it('names each task-list checkbox with the text of its item, without markup', () => {
      const html = render(md('- [ ] Page the **on-call** about `payments`', '- [x] Open the [dashboard](https://example.com)', '- [ ] ![Grafana](g.png) looks green'));
      assert.deepEqual(
        [...html.matchAll(/<input type="checkbox"[^>]*aria-label="([^"]*)"/g)].map((m) => m[1]),
        ['Page the on-call about payments', 'Open the dashboard', 'Grafana looks green'],
      );
    });
  });

  describe('media paths', () => {
    it('resolves relative paths of Markdown images', () => {
      assert.deepEqual(attributes(render('![shot](img/a.png)'), 'src'), ['res:img/a.png']);
    });

    it('resolves src and poster of videos, their sources and caption tracks, and raw images', () => {
      const html = render(
        md(
          '<video src="demo.webm" poster=\'still.png\' controls>',
          '  <source src=clips/demo.mp4 type="video/mp4">',
          '  <track kind="captions" src="demo.vtt" default>',
          '</video>',
          '',
          'Inline <img src="inline.png" alt="x"> image.',
        ),
      );
      assert.deepEqual(attributes(html, 'src'), ['res:demo.webm', 'res:clips/demo.mp4', 'res:demo.vtt', 'res:inline.png']);
      assert.deepEqual(attributes(html, 'poster'), ['res:still.png']);
    });

    it('resolves each URL of a srcset', () => {
      const html = render('<img srcset="a.png 1x, https://cdn.example/b.png 2x" alt="">');
      assert.deepEqual(attributes(html, 'srcset'), ['res:a.png 1x, https://cdn.example/b.png 2x']);
    });

    it('leaves https, data and other schemes alone', () => {
      const html = render(md('<video src="https://example.com/a.webm"></video>', '', '<img src="data:image/png;base64,AAAA" alt="">'));
      assert.deepEqual(attributes(html, 'src'), ['https://example.com/a.webm', 'data:image/png;base64,AAAA']);
    });

    it('reads entities and quotes holding ">" in a tag, and escapes what it writes', () => {
      const html = render('<video title="a > b" src="we&amp;ird &quot;name&quot;.webm"></video>');
      assert.deepEqual(attributes(html, 'src'), ['res:we&amp;ird &quot;name&quot;.webm']);
      assert.ok(html.includes('title="a > b"'));
    });

    it('does not touch the text of code or of other tags', () => {
      const html = render(md('```html', '<video src="in-code.webm">', '```', '', '<a src="x.webm">x</a>'));
      assert.ok(html.includes('&lt;video src=&quot;in-code.webm&quot;&gt;'));
      assert.ok(html.includes('<a src="x.webm">'));
    });
  });
});
