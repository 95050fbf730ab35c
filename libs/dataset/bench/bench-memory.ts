// `nx run dataset:bench-memory`: feeds hostile inputs through the readers (readClips, as predict and
// features use them), each in a fresh process, and prints its peak RSS beside the stated bound. A figure
// to read, never a timed test. Bound: the baseline (the same reader on one good clip) + MAX_ZIP_ENTRY_BYTES
// (the most bytes one entry or file may hold) + the decoder's largest output (DEFAULT_MAX_WAV_SECONDS at the
// highest accepted rate, float32): what an honest input at the limits may cost. The hostile ones must cost
// far less: they are refused before their bytes or samples are allocated.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import path from 'node:path';
import { buf as crc32 } from 'crc-32';
import { DEFAULT_MAX_WAV_SECONDS, WAV_SAMPLE_RATE_RANGE } from '@digits/dsp';
import { MAX_WAV_FILE_BYTES, MAX_ZIP_ENTRY_BYTES, readClips } from '../src/index';
import { deflatedZeros, syntheticWav, zipOfDeflated } from '../src/test-support';

const MiB = 1 << 20;

function peakMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Child mode: read one input, print {peak, outcome} as JSON. */
async function measure(file: string): Promise<void> {
  let outcome: string;
  try {
    const r = await readClips([file, BASELINE_FILE()]);
    const bad = r.skipped.find((s) => s.name.startsWith(file));
    outcome = bad ? `skipped: ${bad.reason}` : `read ${r.clips.length} clip(s)`;
  } catch (err) {
    outcome = `error: ${(err as Error).message}`;
  }
  process.stdout.write(JSON.stringify({ peak: peakMiB(), outcome }) + '\n');
}

let dir = '';
const BASELINE_FILE = () => path.join(process.env.BENCH_DIR ?? dir, 'good.wav');

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(process.argv[3]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'bench-memory-'));
  try {
    const at = (name: string) => path.join(dir, name);
    writeFileSync(at('good.wav'), syntheticWav(8000));
    // A zip whose entry declares 0x7ffffff0 bytes: refused from the central directory, never inflated.
    const huge = zipOfDeflated('0_a_0.wav', deflatedZeros(1), 0x7ffffff0);
    writeFileSync(at('huge-declaring.zip'), huge);
    // A 1 MB zip whose entry declares 1 KB and inflates to 1 GiB of zeros.
    writeFileSync(at('lying.zip'), zipOfDeflated('0_a_0.wav', deflatedZeros(1024), 1024));
    // A zip whose entry declares (and inflates to) just under the limit: the worst honest entry.
    const limitBytes = MAX_ZIP_ENTRY_BYTES - MiB;
    writeFileSync(
      at('at-limit.zip'),
      zipOfDeflated('0_a_0.wav', deflatedZeros(limitBytes / MiB), limitBytes, crc32(new Uint8Array(limitBytes))),
    );
    // A WAV declaring 1 Hz: its 8000 samples would be resampled into 22050x as many.
    const oneHz = syntheticWav(8000, 1);
    writeFileSync(at('1hz.wav'), oneHz);
    // A 4 GiB plain "WAV" (sparse: no disk used): refused by its size before it is read.
    writeFileSync(at('large.wav'), syntheticWav(10));
    truncateSync(at('large.wav'), 4 * 1024 * MiB);
    // A 60 MiB plain WAV (sparse) and a 62 MiB zip entry whose headers declare over an hour of audio: both
    // under the byte limits, refused from their first 64 KiB by the decoder's 60 s cap.
    const longBytes = 60 * MiB;
    const longHeader = Buffer.from(syntheticWav(0));
    longHeader.writeUInt32LE(36 + longBytes, 4);
    longHeader.writeUInt32LE(longBytes, 40);
    writeFileSync(at('long.wav'), longHeader);
    truncateSync(at('long.wav'), 44 + longBytes);
    const entryHeader = Buffer.from(longHeader);
    entryHeader.writeUInt32LE(62 * MiB, 40);
    const deflatedHeader = deflateRawSync(entryHeader, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    writeFileSync(
      at('long.zip'),
      zipOfDeflated('0_a_0.wav', Buffer.concat([deflatedHeader, deflatedZeros(62)]), 44 + 62 * MiB),
    );
    const cases: [string, string][] = [
      ['baseline: one good clip', at('good.wav')],
      ['zip declaring 2 GiB', at('huge-declaring.zip')],
      ['zip declaring 1 KB, inflating to 1 GiB', at('lying.zip')],
      [`zip entry of ${MAX_ZIP_ENTRY_BYTES / MiB - 1} MiB (honest, under the limit)`, at('at-limit.zip')],
      ['1 Hz WAV', at('1hz.wav')],
      ['4 GiB plain WAV', at('large.wav')],
      ['60 MiB plain WAV declaring 65 min', at('long.wav')],
      ['zip entry of 62 MiB declaring 68 min', at('long.zip')],
    ];
    const rows: { name: string; peak: number; outcome: string }[] = [];
    for (const [name, file] of cases) {
      const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--measure', file], {
        encoding: 'utf8',
        env: { ...process.env, BENCH_DIR: dir },
      });
      const got = JSON.parse(r.stdout.trim().split('\n').pop() || '{"peak":-1,"outcome":"crashed"}');
      rows.push({ name, ...got });
    }
    const decodedMiB = Math.ceil((4 * DEFAULT_MAX_WAV_SECONDS * WAV_SAMPLE_RATE_RANGE.max) / MiB);
    const bound = rows[0].peak + MAX_ZIP_ENTRY_BYTES / MiB + decodedMiB;
    console.log(
      `peak RSS per hostile input (each in a fresh process reading it beside one good clip); bound = baseline ${rows[0].peak} MiB` +
        ` + ${MAX_ZIP_ENTRY_BYTES / MiB} MiB bytes (MAX_ZIP_ENTRY_BYTES = MAX_WAV_FILE_BYTES = ${MAX_WAV_FILE_BYTES / MiB} MiB)` +
        ` + ${decodedMiB} MiB samples (${DEFAULT_MAX_WAV_SECONDS} s at ${WAV_SAMPLE_RATE_RANGE.max} Hz, float32)`,
    );
    for (const r of rows) {
      const ok = r.peak >= 0 && r.peak <= bound ? 'within' : 'OVER';
      console.log(
        `${r.name.padEnd(52)} peak ${String(r.peak).padStart(5)} MiB  bound ${bound} MiB  ${ok}  ${r.outcome.slice(0, 110)}`,
      );
    }
    if (rows.some((r) => !(r.peak >= 0 && r.peak <= bound))) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
