import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

type VegaModule = typeof Vega;
type VegaLiteModule = typeof VegaLite;

let modules: Promise<[VegaModule, VegaLiteModule]> | undefined;

/**
 * vega and vega-lite are ES modules with a top-level await (vega-canvas probes for node-canvas), which
 * the CommonJS build of this workspace cannot require(); a dynamic import loads them as ESM.
 */
function loadVega(): Promise<[VegaModule, VegaLiteModule]> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]);
  return modules;
}

/**
 * Renders a Vega-Lite spec to an SVG string with vega's headless renderer. `idPrefix` must be unique
 * within the page: vega numbers clip paths and gradients with a process-wide counter (clip1, clip2...),
 * so the ids are rewritten to `${idPrefix}-1`, `-2`... in order of appearance. That keeps inline SVGs
 * from clashing and makes the output the same however many charts were drawn before.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const [vega, vl] = await loadVega();
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    return normaliseIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/** Rewrites every id="..." (and its url(#...) / href="#..." uses) to `${prefix}-<n>`. */
export function normaliseIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `${prefix}-${ids.size + 1}`);
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a, id, b) => a + (ids.get(id) ?? id) + b)
    .replace(/url\(#([^)]+)\)/g, (s, id) => (ids.has(id) ? `url(#${ids.get(id)})` : s))
    .replace(/href="#([^"]+)"/g, (s, id) => (ids.has(id) ? `href="#${ids.get(id)}"` : s));
}

/**
 * Rasterises an SVG to PNG with resvg, at `scale` times its size for sharp README images. vega writes
 * font-family="sans-serif", which resvg maps to Arial by default; Debian has DejaVu Sans instead.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, sansSerifFamily: 'DejaVu Sans', defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
