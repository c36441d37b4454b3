import { strict as assert } from 'node:assert';
import { lintRunbook } from '../../../src/core/authoring';
import { parseRunbook, renderRunbook, type Runbook } from '../../../src/core/runbook';
import { SCALING_SHAPES, type ScalingShape } from './generators';
import { textLines } from './helpers';

// The pathological shapes of `npm run fuzz` at their largest size: parsing, linting and rendering
// them must not throw, crash or overflow the stack, and must give the model the shape calls for.
// How their cost grows is measured by `npm run fuzz` (a timed test would fail on a busy machine);
// here only mocha's timeout bounds them, generously. Shapes in shell analysis are exercised in
// its own tests.

/** What each shape must come out as, beyond not throwing. */
const EXPECTED: Record<string, (runbook: Runbook, size: number) => void> = {
  'front-matter-keys': (runbook, size) => {
    assert.deepEqual(runbook.diagnostics, []);
    assert.equal(Object.keys(runbook.frontMatter ?? {}).length, size);
  },
  'front-matter-duplicate-keys': (runbook, size) => {
    assert.equal(runbook.diagnostics.filter((d) => d.message === 'Front matter YAML: Map keys must be unique').length, size - 1);
    assert.equal(runbook.frontMatter, undefined);
  },
  'front-matter-errors': (runbook, size) => {
    assert.ok(runbook.diagnostics.length >= size && runbook.diagnostics.every((d) => d.code === 'yaml'));
    assert.equal(runbook.frontMatter, undefined);
  },
  'front-matter-inputs': (runbook, size) => {
    assert.deepEqual(runbook.diagnostics, []);
    assert.equal(runbook.inputs.length, size);
  },
  'front-matter-deep-flow': (runbook) => assert.deepEqual(runbook.diagnostics.map((d) => d.code), ['front-matter-limit']),
  'front-matter-deep-block': (runbook) => assert.deepEqual(runbook.diagnostics.map((d) => d.code), ['front-matter-limit']),
  'front-matter-aliases': (runbook) => assert.deepEqual(runbook.diagnostics.map((d) => d.code), ['front-matter-limit']),
  'front-matter-too-large': (runbook) => assert.deepEqual(runbook.diagnostics.map((d) => [d.code, d.line]), [['front-matter-limit', 1025]]),
  steps: (runbook, size) => assert.equal(runbook.steps.length, size),
  'same-name-steps': (runbook, size) => {
    assert.equal(new Set(runbook.steps.map((step) => step.id)).size, size);
    assert.equal(runbook.diagnostics.filter((d) => d.code === 'duplicate-name').length, size - 1);
  },
  'same-heading': (runbook, size) => assert.equal(new Set(runbook.sections.map((section) => section.slug)).size, size),
  'task-items': (runbook, size) => assert.equal(runbook.manualSteps.length, size),
  attributes: (runbook, size) => assert.equal(runbook.diagnostics.filter((d) => d.code === 'unknown-attribute').length, size),
  'long-line': (runbook) => assert.equal(runbook.steps.length, 1),
  'nested-quotes': (runbook) => assert.ok(runbook.steps.length <= 1),
};

function largest(shape: ScalingShape): number {
  return shape.sizes[shape.sizes.length - 1];
}

describe('runbook parsing at scale', function () {
  this.timeout(300_000);

  for (const shape of SCALING_SHAPES.filter((s) => s.area !== 'shell analysis')) {
    it(`parses, lints and renders ${shape.id} at ${largest(shape).toLocaleString('en')} ${shape.unit}`, () => {
      const size = largest(shape);
      const text = shape.text(size);
      const runbook = parseRunbook(text, { path: `${shape.id}.runbook.md` });
      assert.doesNotThrow(() => JSON.stringify(runbook));
      EXPECTED[shape.id]?.(runbook, size);
      assert.ok(Array.isArray(lintRunbook(runbook, textLines(text))));
      assert.ok(renderRunbook(text, runbook).length > 0);
    });
  }

  it('has an expectation for every shape it runs', () => {
    for (const shape of SCALING_SHAPES.filter((s) => s.area !== 'shell analysis')) assert.ok(EXPECTED[shape.id], shape.id);
  });
});
