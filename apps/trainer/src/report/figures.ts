import type { TopLevelSpec } from 'vega-lite';
import { figure } from './html';
import { renderSvg } from './render-svg';

/**
 * Renders the report's charts and remembers which are "main" figures, to be copied to PNG
 * (figures/<id>.png) for the README. Ids must be unique in a report; they become the SVGs' id prefix.
 */
export class FigureSet {
  readonly main: { id: string; svg: string }[] = [];
  private readonly ids = new Set<string>();
  count = 0;

  /** The chart as a <figure> with inline SVG. */
  async chart(id: string, spec: TopLevelSpec, options: { main?: boolean; caption?: string } = {}): Promise<string> {
    if (this.ids.has(id)) throw new Error(`report: chart id "${id}" used twice`);
    this.ids.add(id);
    const svg = await renderSvg(spec, id);
    this.count++;
    if (options.main) this.main.push({ id, svg });
    return figure(id, svg, options.caption);
  }
}
