// Small HTML builders for the report page. Everything is inline (no scripts, no external files), so
// the page opens from disk with no network.

/** Escapes text for HTML content and attribute values. */
export function esc(text: string | number): string {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A table; cells are text unless given as `{ html }`. */
export type Cell = string | number | { html: string };

export function table(head: Cell[], rows: Cell[][], cls = ''): string {
  const cell = (c: Cell, tag: 'td' | 'th') => `<${tag}>${typeof c === 'object' ? c.html : esc(c)}</${tag}>`;
  return (
    `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => cell(h, 'th')).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</tbody></table>`
  );
}

/** A two-column table of labels and values, without a header row. */
export function keyValueTable(rows: [string, string][], cls = 'meta'): string {
  return `<table class="${cls}"><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;
}

/** An inline SVG chart; `data-chart` names it for tests and for its PNG copy. */
export function figure(id: string, svg: string, caption?: string): string {
  return `<figure class="chart" data-chart="${esc(id)}">${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}

/** An audio player whose source is a data: URI. */
export function audio(src: string, label: string): string {
  return `<audio controls preload="auto" aria-label="${esc(label)}" src="${src}"></audio>`;
}

/** A top-level section; `data-section` is what the tests look for. */
export function section(id: string, title: string, body: string): string {
  return `<section id="${esc(id)}" data-section="${esc(id)}">\n<h2>${esc(title)}</h2>\n${body}\n</section>`;
}

export const p = (text: string) => `<p>${esc(text)}</p>`;
export const note = (text: string) => `<p class="note">${esc(text)}</p>`;
export const h3 = (text: string, id?: string) => `<h3${id ? ` id="${esc(id)}"` : ''}>${esc(text)}</h3>`;
export const row = (...items: string[]) => `<div class="row">${items.join('')}</div>`;
export const ul = (items: string[]) => `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#222}
h1{font-size:24px;margin:8px 0} h2{border-bottom:2px solid #4c78a8;padding-bottom:4px;margin-top:36px} h3{margin-top:24px}
nav a{margin-right:14px} .row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
figure.chart{margin:6px 0} figure.chart svg{max-width:100%;height:auto} figcaption{font-size:12px;color:#555}
table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums} th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f3f5f8} table.meta td{text-align:left} td:first-child,th:first-child{text-align:left}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 10px;background:#fcfcfd} .card h4{margin:2px 0 6px}
.grid3{display:grid;grid-template-columns:repeat(3,auto);gap:12px;justify-content:start}
.note{color:#8a5a00;background:#fff7e6;border-left:3px solid #f0b429;padding:6px 10px}
pre{background:#f6f8fa;padding:8px;overflow-x:auto;font-size:12px} audio{display:block;width:260px;margin:4px 0}
`;

/** The whole page. `title` goes in <title> and <h1>. */
export function page(title: string, header: string, nav: { id: string; label: string }[], sections: string[]): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
${header}
<nav>${nav.map((n) => `<a href="#${esc(n.id)}">${esc(n.label)}</a>`).join('')}</nav>
</header>
${sections.join('\n')}
</body>
</html>
`;
}
