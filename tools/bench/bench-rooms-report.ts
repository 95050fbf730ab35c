// Markdown tables (as in README's rooms section) from bench-rooms --json outputs of several recipes side by side:
// per condition and rate, offline accuracy, live accuracy and live "exactly one prediction" (means over the
// held-out speakers, and per speaker), then invented digits per minute.
//
//   node tools/run-ts.mjs tools/bench/bench-rooms-report.ts --runs default=a.json,rooms=b.json
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const BenchJson = z.object({
  models: z.string(),
  cells: z.array(
    z.object({ condition: z.string(), rate: z.number(), speaker: z.string(), correct: z.number(), n: z.number() }),
  ),
  live: z.array(
    z.object({
      name: z.string(),
      rate: z.number(),
      speaker: z.string(),
      clips: z.number(),
      exactlyOne: z.number(),
      correct: z.number(),
    }),
  ),
  perMinute: z.array(z.object({ speaker: z.string(), what: z.string(), predictions: z.number(), minutes: z.number() })),
});
type Bench = z.infer<typeof BenchJson>;

function read(spec: string): { name: string; bench: Bench } {
  const at = spec.indexOf('=');
  if (at <= 0) throw new Error(`--runs: "${spec}" is not name=file.json`);
  const file = spec.slice(at + 1);
  const parsed = BenchJson.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not a bench-rooms --json output (${parsed.error.issues[0].message})`);
  return { name: spec.slice(0, at), bench: parsed.data };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string' } } });
  if (!values.runs) throw new Error('--runs name=file.json[,name=file.json...] is required');
  const runs = values.runs.split(',').map(read);
  const first = runs[0].bench;
  const keys = [...new Map(first.cells.map((c) => [`${c.condition}|${c.rate}`, c])).values()];
  const liveKeys = [...new Map(first.live.map((c) => [`${c.name}|${c.rate}`, c])).values()];
  // Condition by condition (in the bench's order), each at every rate.
  const unsorted = keys.length ? keys.map((k) => ({ name: k.condition, rate: k.rate })) : liveKeys;
  const order = [...new Set(unsorted.map((r) => r.name))];
  const rows = [...unsorted].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name) || a.rate - b.rate);
  const speakers = [...new Set([...first.cells, ...first.live].map((c) => c.speaker))].sort();
  const names = runs.map((r) => r.name).join(' / ');
  const offline = (b: Bench, name: string, rate: number) =>
    speakers.map((s) => {
      const c = b.cells.find((x) => x.condition === name && x.rate === rate && x.speaker === s);
      return c ? c.correct / c.n : NaN;
    });
  const live = (b: Bench, name: string, rate: number, what: 'correct' | 'exactlyOne') =>
    speakers.map((s) => {
      const c = b.live.find((x) => x.name === name && x.rate === rate && x.speaker === s);
      return c ? c[what] / c.clips : NaN;
    });
  const out: string[] = [];
  out.push(`| condition | rate | offline acc: ${names} | live acc: ${names} | live exactly one: ${names} |`);
  out.push('|---|---|---|---|---|');
  for (const r of rows) {
    const cell = (g: (b: Bench) => number[]) => runs.map((x) => f(mean(g(x.bench)))).join(' / ');
    out.push(
      `| ${r.name} | ${r.rate / 1000} kHz | ${cell((b) => offline(b, r.name, r.rate))} | ${cell((b) => live(b, r.name, r.rate, 'correct'))} | ${cell((b) => live(b, r.name, r.rate, 'exactlyOne'))} |`,
    );
  }
  out.push('');
  out.push(`Per held-out speaker (${speakers.join(' / ')}), offline acc; live acc; live exactly one:`);
  out.push('');
  out.push(`| condition | rate | ${runs.map((x) => x.name).join(' | ')} |`);
  out.push(`|---|---|${runs.map(() => '---').join('|')}|`);
  for (const r of rows) {
    const per = (xs: number[]) => xs.map((x) => f(x, 2)).join(' ');
    out.push(
      `| ${r.name} | ${r.rate / 1000} kHz | ${runs
        .map(
          (x) =>
            `${per(offline(x.bench, r.name, r.rate))}; ${per(live(x.bench, r.name, r.rate, 'correct'))}; ${per(live(x.bench, r.name, r.rate, 'exactlyOne'))}`,
        )
        .join(' | ')} |`,
    );
  }
  const whats = [...new Set(first.perMinute.map((p) => p.what))];
  if (whats.length) {
    out.push('');
    out.push(`| live, 16 kHz: invented digits per minute of (goal <= 0.5) | ${runs.map((x) => x.name).join(' | ')} |`);
    out.push(`|---|${runs.map(() => '---').join('|')}|`);
    for (const w of whats) {
      const rate = (b: Bench) => {
        const ps = b.perMinute.filter((p) => p.what === w);
        return `${f(mean(ps.map((p) => p.predictions / p.minutes)), 2)} (${ps.map((p) => f(p.predictions / p.minutes, 0)).join(' ')})`;
      };
      out.push(
        `| ${w === 'words' ? 'non-digit words (unknowns b)' : `${w} alone`} | ${runs.map((x) => rate(x.bench)).join(' | ')} |`,
      );
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench-rooms-report: ${(e as Error).message}\n`);
  process.exit(1);
}
