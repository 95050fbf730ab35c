import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseIds, renderSvg } from './render-svg';

test('normaliseIds renames ids and their references in order of appearance', () => {
  const svg =
    '<svg><clipPath id="clip7"><rect/></clipPath><g clip-path="url(#clip7)"/><use href="#g3"/><linearGradient id="g3"/></svg>';
  assert.equal(
    normaliseIds(svg, 'chart'),
    '<svg><clipPath id="chart-1"><rect/></clipPath><g clip-path="url(#chart-1)"/><use href="#chart-2"/><linearGradient id="chart-2"/></svg>',
  );
});

test('the same spec renders to the same SVG however many charts came before', async () => {
  const spec = {
    data: {
      values: [
        { a: 1, b: 2 },
        { a: 2, b: 5 },
      ],
    },
    mark: { type: 'line' as const, clip: true },
    encoding: { x: { field: 'a', type: 'quantitative' as const }, y: { field: 'b', type: 'quantitative' as const } },
  };
  const first = await renderSvg(spec, 'x');
  await renderSvg(spec, 'other');
  const again = await renderSvg(spec, 'x');
  assert.equal(again, first);
  assert.match(first, /^<svg [^>]*width="\d+"/);
  assert.match(first, /clip-path="url\(#x-1\)"/);
});
