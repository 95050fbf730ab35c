// End to end in a real browser: `digits live` plays a stream of spoken digits from a WAV file in real
// time; headless Chromium opens the dashboard and must see the spectrogram scroll and the digits appear;
// when the server goes away and comes back, the page reconnects by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { PredictionMessageSchema } from '@digits/protocol';
import { buildDigitStream, digitStreamWav, pickRecordings } from '../../apps/live/src/testing/digit-stream';
import { startLive, type LiveProcess } from './support/live-process';
import { testModel } from './support/test-model';
import { artifact, openBrowser, text, watchPageErrors } from './support/browser';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'live-e2e-'));
let browser: BrowserContext | undefined;
const processes: LiveProcess[] = [];
test.after(async () => {
  await browser?.close();
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

const historyCount = (page: Page) => page.locator('#history li').count();

test(
  'the dashboard shows the spectrogram and the digits of a live stream, and reconnects after a restart',
  { timeout: 180_000 },
  async () => {
    const stream = buildDigitStream(pickRecordings(8, 5), { sampleRate: 16000, gapMs: 800 });
    const wav = path.join(tmp, 'digits.wav');
    writeFileSync(wav, digitStreamWav(stream));
    const model = await testModel(tmp);
    // A random model is never confident: threshold 0 lets its digits show.
    const threshold = model.trained ? '0.5' : '0';
    const live = startLive([
      '--source',
      `wav:${wav}`,
      '--port',
      '0',
      '--exit-at-end',
      '--json',
      '--model',
      model.dir,
      '--threshold',
      threshold,
    ]);
    processes.push(live);
    const url = await Promise.race([
      live.url,
      live.exited.then((code) =>
        Promise.reject(new Error(`digits live exited (${code}) before serving:\n${live.stderr.join('\n')}`)),
      ),
    ]);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

    browser = await openBrowser(tmp);
    const page = await browser.newPage();
    // Chromium logs each refused reconnection attempt while the server is away: expected, not a page error.
    const pageErrors = watchPageErrors(page, /^WebSocket connection to .* failed/);
    await page.goto(url);
    await page.waitForSelector('body[data-connection="open"]', { timeout: 15_000 });
    await page.waitForFunction(() => Number(document.getElementById('spectrogram')?.dataset.columns) > 40, undefined, {
      timeout: 20_000,
    });
    await page.waitForFunction(() => document.querySelectorAll('#history li').length >= 5, undefined, {
      timeout: 30_000,
    });

    // What a person sees: a digit, its confidence, ten probability bars, source and model.
    assert.match(await text(page, '#last-digit'), /^[0-9?]$/);
    assert.match(await text(page, '#last-confidence'), /^\d+%$/);
    assert.equal(await page.locator('#prob-bars li').count(), 10);
    assert.match(await text(page, '#source-text'), /^wav · .*digits\.wav/);
    assert.match(await text(page, '#connection-text'), /connected/);
    // The spectrogram canvas is painted, not blank: many distinct colours in its right half.
    const colours = await page.evaluate(() => {
      const c = document.getElementById('spectrogram') as HTMLCanvasElement;
      const data =
        c.getContext('2d')?.getImageData(c.width / 2, 0, c.width / 2, c.height).data ?? new Uint8ClampedArray();
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    });
    assert.ok(colours > 50, `spectrogram has ${colours} colours`);
    await page.screenshot({ path: artifact('live-dashboard.png') });

    // --exit-at-end: the app exits 0 once the file has ended and every prediction has been sent.
    assert.equal(await live.exited, 0, live.stderr.join('\n'));
    // --json: stdout holds exactly one protocol prediction message per spoken digit.
    const printed = live.stdout.filter((l) => l.trim() !== '').map((l) => PredictionMessageSchema.parse(JSON.parse(l)));
    assert.equal(printed.length, stream.clips.length, live.stdout.join('\n'));
    assert.equal(await historyCount(page), stream.clips.length);
    const heard = printed.map((p) => (p.digit === null ? '?' : String(p.digit)));
    // The page's history (newest first) shows the same digits as were printed.
    const shown = (await page.locator('#history li .h-digit').allTextContents()).map((t) => t.trim()).reverse();
    assert.deepEqual(shown, heard);
    if (model.trained) {
      const said = stream.clips.map((c) => String(c.digit));
      assert.ok(
        said.filter((d, i) => heard[i] === d).length >= said.length - 1,
        `heard ${heard.join(' ')}, said ${said.join(' ')}`,
      );
    }

    // The server is gone: the page says it is reconnecting, and reconnects once a server is back.
    await page.waitForSelector('body[data-connection="waiting"]', { timeout: 10_000 });
    assert.match(await text(page, '#connection-text'), /reconnecting in \d+ s/);
    const port = new URL(url).port;
    const again = startLive(['--source', `wav:${wav}`, '--port', port, '--model', model.dir]);
    processes.push(again);
    await again.url;
    await page.waitForSelector('body[data-connection="open"]', { timeout: 20_000 });
    await page.waitForFunction(
      () => document.getElementById('source-text')?.textContent?.startsWith('wav'),
      undefined,
      { timeout: 10_000 },
    );
    again.child.kill('SIGINT');
    assert.equal(await again.exited, 0);
    assert.deepEqual(pageErrors, []);
  },
);
