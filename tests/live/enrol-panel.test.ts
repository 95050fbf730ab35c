// "Teach it my voice" end to end in a real browser: the live app listens to raw PCM (a pipe, as from
// arecord) carrying one FSDD speaker's digits in prompt order; headless Chromium drives the dashboard's
// enrolment panel (start, the ten takes, play one, redo one, train), the app switches to the personal
// model, further digits are recognised by it, and the panel switches back to the base model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { BrowserContext } from 'playwright-core';
import { buildDigitStream, digitStreamPcm } from '../../apps/live/src/testing/digit-stream';
import { connectClient } from '../../apps/live/src/testing/ws-client';
import { startWorkerClassifier } from '../../apps/live/src/classifier/worker-classifier';
import { voiceEnroller } from '../../apps/live/src/enrol/voice-enroller';
import { createStdinSource } from '../../apps/live/src/sources/stdin-source';
import { startLiveApp, type LiveApp } from '../../apps/live/src/live-app';
import { testModel } from './support/test-model';
import { artifact, openBrowser, text, watchPageErrors } from './support/browser';

const SPEAKER = 'nicolas';
const RATE = 16000;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'live-enrol-'));
// Voices go under $DIGITS_HOME/voices: a temporary home, never the real one. Set before any worker starts.
process.env.DIGITS_HOME = path.join(tmp, 'home');
let browser: BrowserContext | undefined;
let app: LiveApp | undefined;
test.after(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * Raw PCM of this speaker saying `digits` (recording `take` of each), with light noise between them and
 * at both ends (no digital silence: a step from zeros to noise would be heard as a blip).
 */
function speak(digits: number[], take: number, seed: number): Buffer {
  const files = digits.map((d) => `${d}_${SPEAKER}_${take}.wav`);
  return digitStreamPcm(buildDigitStream(files, { sampleRate: RATE, gapMs: 900, seed }));
}

test(
  'the enrolment panel records ten takes, trains a personal model, switches to it and back',
  { timeout: 300_000 },
  async () => {
    const model = await testModel(tmp);
    const classifier = await startWorkerClassifier(model.dir, { log: () => undefined });
    const input = new PassThrough();
    const logs: string[] = [];
    app = await startLiveApp({
      source: createStdinSource({ sampleRate: RATE, input }),
      classifier,
      port: 0,
      threshold: model.trained ? (classifier.info.unknownThreshold ?? 0.5) : 0,
      // The real @digits/voice (enrolVoice trains the personal model), in its own process.
      enroller: voiceEnroller({ log: (l) => logs.push(l) }),
      baseModelDir: model.dir,
      out: () => undefined,
      log: (l) => logs.push(l),
    });
    const live = app;
    const url = live.server.urls[0];

    browser = await openBrowser(tmp, {
      args: ['--autoplay-policy=no-user-gesture-required'],
      viewport: { width: 1400, height: 1300 },
    });
    const page = await browser.newPage();
    const pageErrors = watchPageErrors(page);
    await page.goto(url);
    await page.waitForSelector('body[data-connection="open"]', { timeout: 15_000 });
    await page.waitForSelector('#model-badge[data-active="base"]', { timeout: 10_000 });
    assert.equal(await text(page, '#model-badge'), 'Base model');

    // Start: a bad name is refused on the page; then voice "tester", one take per digit.
    await page.fill('#enrol-name', 'no good');
    await page.click('#enrol-start');
    assert.match(await text(page, '#enrol-error'), /a voice name is/);
    await page.fill('#enrol-name', 'tester');
    await page.selectOption('#enrol-takes-per-digit', '1');
    await page.click('#enrol-start');
    await page.waitForSelector('#enrol[data-mode="recording"]', { timeout: 10_000 });
    assert.equal(await text(page, '#prompt-digit'), '0');
    assert.equal(await text(page, '#prompt-take'), 'take 1 of 1');
    assert.equal(await page.locator('.take').count(), 10);

    // The speaker says 0..9, as prompted: each utterance becomes that digit's take.
    input.write(speak([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0, 11));
    await page.waitForFunction(() => document.querySelectorAll('.take[data-state="ok"]').length === 10, undefined, {
      timeout: 60_000,
    });
    assert.equal(await text(page, '#prompt-digit'), 'All takes in');
    assert.equal(await text(page, '#enrol-progress-text'), '10 of 10 takes');
    // Thumbnails are painted.
    const painted = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('.take canvas'), (c) => {
        const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      }),
    );
    assert.ok(
      painted.every((n) => n > 200),
      `painted pixels per thumbnail: ${painted.join(' ')}`,
    );

    // Play take 7: its audio comes back and is decoded (about as long as the take).
    await page.click('.take[data-digit="7"] .play');
    await page.waitForSelector('.take[data-digit="7"][data-played]', { timeout: 10_000 });
    const playedMs = Number(await page.getAttribute('.take[data-digit="7"]', 'data-played'));
    const shownLen = parseFloat(await text(page, '.take[data-digit="7"] .take-len')) * 1000;
    assert.ok(Math.abs(playedMs - shownLen) < 20, `played ${playedMs} ms, take ${shownLen} ms`);

    // Redo take 4: the prompt asks for 4 again, and the next utterance replaces it.
    const before = await text(page, '.take[data-digit="4"] .take-len');
    await page.click('.take[data-digit="4"] .redo');
    await page.waitForSelector('#enrol-prompt[data-redo="true"]', { timeout: 10_000 });
    assert.equal(await text(page, '#prompt-digit'), '4');
    assert.match(await text(page, '#prompt-take'), /again — take 1 of 1/);
    input.write(speak([4], 1, 12));
    await page.waitForSelector('#enrol-prompt[data-state="done"]', { timeout: 30_000 });
    assert.notEqual(await text(page, '.take[data-digit="4"] .take-len'), before);
    await page.locator('#enrol').screenshot({ path: artifact('enrol-panel.png') });

    // Train: the panel shows the personal model as active, and the classifier uses its folder.
    const voiceDir = path.join(tmp, 'home', 'voices', 'tester');
    await page.click('#enrol-finish');
    await page.waitForSelector('#model-badge[data-active="personal"][data-switching="false"]', { timeout: 240_000 });
    assert.equal(await text(page, '#personal-badge'), 'Personal model: tester (active)');
    assert.equal(await page.isVisible('#use-base'), true);
    assert.match(await text(page, '#enrol-hint'), /voice “tester” trained in [\d.]+ s on 10 takes/);
    assert.ok(existsSync(path.join(voiceDir, 'model.json')), `${voiceDir} holds the model`);
    assert.equal(classifier.info.model.path, voiceDir);
    // A new connection's hello says the model is personal.
    const ws = await connectClient(url.replace(/^http/, 'ws').replace(/\/$/, '/ws'));
    const hello = await ws.next('hello');
    assert.equal(hello.model.voice, 'tester');
    ws.ws.close();
    await page.screenshot({ path: artifact('enrol-personal.png') });

    // Predictions go on, from the personal model, and are right.
    const said = [3, 8, 1, 6];
    const start = live.predictions.length;
    input.write(speak(said, 2, 13));
    await page.waitForFunction((n) => document.querySelectorAll('#history li').length >= n, start + said.length, {
      timeout: 60_000,
    });
    const heard = live.predictions.slice(start).map((p) => p.digit);
    assert.equal(heard.length, said.length);
    if (model.trained) {
      const right = said.filter((d, i) => heard[i] === d).length;
      assert.ok(right >= said.length - 1, `heard ${heard.join(' ')}, said ${said.join(' ')}`);
    }

    // Back to the base model from the panel; digits are still recognised.
    await page.click('#use-base');
    await page.waitForSelector('#model-badge[data-active="base"][data-switching="false"]', { timeout: 60_000 });
    assert.equal(await page.isVisible('#personal-badge'), false);
    assert.equal(await text(page, '#use-personal'), 'Use personal model: tester');
    assert.equal(classifier.info.model.path, model.dir);
    const again = live.predictions.length;
    input.write(speak([5], 3, 14));
    await page.waitForFunction((n) => document.querySelectorAll('#history li').length >= n, again + 1, {
      timeout: 60_000,
    });
    if (model.trained) assert.equal(live.predictions[again]?.digit, 5);

    input.end();
    await live.ended;
    assert.deepEqual(pageErrors, []);
    assert.ok(!logs.some((l) => /failed/.test(l)), logs.join('\n'));
  },
);
