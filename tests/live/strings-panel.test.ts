// The dashboard's number panel in a real browser, against the real live server (LiveServer, which validates
// every message it sends) fed protocol messages by the test: a digit-string model's digits appear one by
// one as their predictions arrive, the finished number appears grouped as spoken, its copy buttons copy it
// (through the Clipboard API, and through the fallback when the API refuses), the list of finished
// numbers grows newest first and stays bounded, a page that connects later is given the recent numbers,
// and a one-digit model's page shows no number panel and does not subscribe to finished strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEFAULT_FEATURE_CONFIG } from '@digits/features';
import {
  PROTOCOL_VERSION,
  type DigitsMessage,
  type HelloServerMessage,
  type ModelInfo,
  type PredictionMessage,
} from '@digits/protocol';
import { LiveServer } from '../../apps/live/src/server/live-server';
import { artifact, openBrowser, text, watchPageErrors } from './support/browser';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'live-strings-'));
let browser: BrowserContext | undefined;
let server: LiveServer | undefined;
test.after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const STRINGS_MAX = 20;
const N_MELS = DEFAULT_FEATURE_CONFIG.nMels;
const HOP_MS = (DEFAULT_FEATURE_CONFIG.hopLength / DEFAULT_FEATURE_CONFIG.sampleRate) * 1000;

/** The model the server's hello names; the test swaps it for the one-digit case. */
let model: ModelInfo = { name: 'strings-test', recognizes: 'strings' };
const hello = (): HelloServerMessage => ({
  type: 'hello',
  protocolVersion: PROTOCOL_VERSION,
  model,
  featureConfig: { ...DEFAULT_FEATURE_CONFIG },
  source: { kind: 'stdin', description: 'stdin s16le 16000 Hz', sampleRate: 16000 },
});

/** Stream time: each digit takes 400 ms, 150 ms between digits, 1 s between strings. */
let clock = 1000;

function prediction(digit: number, confidence: number): PredictionMessage {
  const startMs = clock;
  clock += 400;
  const rest = (1 - confidence) / 9;
  return {
    type: 'prediction',
    digit,
    confidence,
    probs: Array.from({ length: 10 }, (_, d) => (d === digit ? confidence : rest)),
    startMs,
    endMs: clock,
    latencyMs: 40,
  };
}

/** The `digits` message closing the string of `predictions` (grouped at the spaces of `spoken`). */
function closing(spoken: string, predictions: PredictionMessage[], reason: DigitsMessage['reason']): DigitsMessage {
  return {
    type: 'digits',
    text: spoken.replace(/ /g, ''),
    grouped: spoken,
    digits: predictions.map((p) => ({
      digit: p.digit as number,
      confidence: p.confidence,
      startMs: p.startMs,
      endMs: p.endMs,
    })),
    startMs: predictions[0].startMs,
    endMs: predictions[predictions.length - 1].endMs,
    latencyMs: 620,
    reason,
  };
}

/** Stream time up to which spectrogram columns were sent (they are contiguous, as a live server's are). */
let spectroMs = 0;
/**
 * Speech and spectrogram columns up to the end of a digit (silence before it, a formant pattern during it),
 * so the screenshot shows a spectrogram like a live one.
 */
function speak(p: PredictionMessage, s: LiveServer): void {
  s.broadcast({ type: 'speech', state: 'start', tMs: p.startMs });
  const count = Math.round((p.endMs - spectroMs) / HOP_MS);
  const columns = Array.from({ length: count }, (_, c) => {
    const t = spectroMs + c * HOP_MS;
    const voiced = t >= p.startMs;
    return Array.from({ length: N_MELS }, (_, m) => {
      const formant = Math.exp(-(((m - 10 - (p.digit ?? 0)) / 4) ** 2)) + 0.6 * Math.exp(-(((m - 34) / 6) ** 2));
      return -75 + ((m * 7 + c * 13) % 9) + (voiced ? 55 * formant : 0);
    });
  });
  s.broadcast({ type: 'spectrogram', tMs: spectroMs, hopMs: HOP_MS, nMels: N_MELS, columns });
  spectroMs += count * HOP_MS;
  s.broadcast({ type: 'speech', state: 'end', tMs: p.endMs });
  clock += 150;
}

// Scripts run in the page are strings: tsx compiles this file with esbuild's keepNames, whose __name()
// calls around named inner functions do not exist in the page.

/** Records what the page's WebSocket sends, and keeps the socket for `synced`. Runs before the page's script. */
const RECORD_SOCKET = `
  window.__sent = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    window.__sent.push(String(data));
    window.__ws = this;
    return send.call(this, data);
  };`;

/** What the page has sent, parsed. */
const sent = (page: Page) =>
  page.evaluate(() => (window as unknown as { __sent: string[] }).__sent.map((t) => JSON.parse(t)));

/**
 * Resolves once the server has answered a ping sent after everything the page sent before: the server
 * handles a connection's messages in order, so its subscription is in force.
 */
function synced(page: Page): Promise<void> {
  return page.evaluate(`new Promise((resolve) => {
    const ws = window.__ws;
    const id = 'sync-' + Math.random();
    const on = (e) => {
      if (String(e.data).includes(id)) {
        ws.removeEventListener('message', on);
        resolve();
      }
    };
    ws.addEventListener('message', on);
    ws.send(JSON.stringify({ type: 'ping', id }));
  })`);
}

/** The number on show as a person reads it: digits, and a space per group gap (screen-reader notes left out). */
const shownNumber = (page: Page, selector: string) =>
  page.evaluate(
    (sel) =>
      Array.from(document.querySelector(sel)?.children ?? [], (c) =>
        c.classList.contains('gap') ? ' ' : c.classList.contains('nd') ? (c.firstChild?.textContent ?? '') : '',
      ).join(''),
    selector,
  );

const readClipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

async function openDashboard(url: string, init?: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (browser as BrowserContext).newPage();
  const errors = watchPageErrors(page);
  await page.addInitScript(RECORD_SOCKET);
  if (init) await page.addInitScript(init);
  await page.goto(url);
  await page.waitForSelector('body[data-connection="open"]', { timeout: 15_000 });
  await page.waitForFunction(() =>
    (window as unknown as { __sent: string[] }).__sent.some((t) => JSON.parse(t).type === 'subscribe'),
  );
  await synced(page);
  return { page, errors };
}

test(
  'the number panel builds a digit string, shows it grouped, copies it and keeps a bounded list',
  { timeout: 180_000 },
  async () => {
    server = await LiveServer.start({ port: 0, hello, log: () => undefined });
    const live = server;
    const url = live.urls[0];
    live.broadcast({ type: 'status', state: 'listening' });
    browser = await openBrowser(tmp, { viewport: { width: 1280, height: 1000 } });
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });

    const { page, errors } = await openDashboard(url);
    assert.equal(await page.isVisible('#number'), true);
    assert.equal(await page.getAttribute('body', 'data-recognizes'), 'strings');
    const subscribe = (await sent(page)).find((m) => m.type === 'subscribe');
    assert.ok(subscribe.want.includes('digits'), JSON.stringify(subscribe));
    assert.ok(subscribe.want.includes('prediction'), JSON.stringify(subscribe));

    // "555 1234", said digit by digit; the 2 is unsure. Each digit appears as its prediction arrives.
    const spoken = '555 1234';
    const confidences = [0.97, 0.95, 0.93, 0.9, 0.42, 0.96, 0.94];
    const predictions: PredictionMessage[] = [];
    for (const [i, d] of [...spoken.replace(/ /g, '')].entries()) {
      const p = prediction(Number(d), confidences[i]);
      predictions.push(p);
      speak(p, live);
      live.broadcast(p);
      await page.waitForFunction((n) => document.querySelectorAll('#number-current .nd').length === n, i + 1);
      assert.equal(await shownNumber(page, '#number-current'), spoken.replace(/ /g, '').slice(0, i + 1));
      assert.equal(await page.getAttribute('#number', 'data-state'), 'building');
      // The per-digit view goes on as for a one-digit model.
      assert.equal(await text(page, '#last-digit'), d);
    }
    assert.equal(await text(page, '#number-status'), 'hearing a number… 7 digits');
    assert.deepEqual(await page.locator('#number-current .nd.low').allTextContents(), ['2 (unsure)']);
    assert.equal(await page.isDisabled('#number-copy'), true);
    await page.locator('#number').screenshot({ path: artifact('strings-panel-building.png') });

    // The string closes: shown grouped as spoken, the unsure digit still marked, and copyable.
    live.broadcast(closing(spoken, predictions, 'pause'));
    await page.waitForSelector('#number[data-state="done"]');
    assert.equal(await shownNumber(page, '#number-current'), '555 1234');
    assert.equal(await page.locator('#number-current .nd.low').count(), 1);
    assert.match(await text(page, '#number-status'), /^7 digits · \d+ ms after the last$/);
    assert.equal(await page.getAttribute('#number-copy', 'aria-label'), 'Copy the number 555 1234');
    await page.click('#number-copy');
    await page.waitForFunction(() => document.getElementById('number-copy')?.textContent === 'Copied');
    assert.equal(await readClipboard(page), '5551234');
    assert.equal(await text(page, '#copy-status'), 'Copied 5551234');
    await page.waitForFunction(() => document.getElementById('number-copy')?.textContent === 'Copy', undefined, {
      timeout: 5000,
    });
    assert.equal(await page.locator('#strings li').count(), 1);
    assert.equal(await shownNumber(page, '#strings li .s-number'), '555 1234');
    assert.match(await text(page, '#strings li .s-meta'), /^\d{1,2}:\d{2}:\d{2}( [AP]M)? · 7 digits$/);
    assert.equal(await page.locator('#strings li .s-reason').count(), 0);

    // 21 more strings, every seventh closed by the maximum length, the last by the end of the audio: the list
    // keeps the newest 20, newest first, and says why a string closed when it was not a pause.
    const said = [spoken];
    for (let k = 1; k <= 21; k++) {
      const group = String((k * 37) % 1000).padStart(3, '0');
      const s = k % 3 === 0 ? `${group} ${k % 10}${(k * 3) % 10}` : group;
      const ps = [...s.replace(/ /g, '')].map((d) => prediction(Number(d), 0.9));
      for (const p of ps) {
        speak(p, live);
        live.broadcast(p);
      }
      const reason = k === 21 ? 'end' : k % 7 === 0 ? 'max-length' : 'pause';
      live.broadcast(closing(s, ps, reason));
      said.push(s);
      clock += 1000;
      await page.waitForFunction(
        (n) => document.getElementById('strings')?.children.length === n,
        Math.min(STRINGS_MAX, k + 1),
      );
    }
    const newest = said.slice(-STRINGS_MAX).reverse();
    const listed = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#strings li'), (li) => li.dataset.text),
    );
    assert.deepEqual(
      listed,
      newest.map((s) => s.replace(/ /g, '')),
    );
    assert.equal(await shownNumber(page, '#strings li:first-child .s-number'), newest[0]);
    assert.equal(await shownNumber(page, '#number-current'), newest[0]);
    const reasons = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#strings li'), (li) => li.querySelector('.s-reason')?.textContent ?? ''),
    );
    assert.deepEqual(
      reasons,
      newest.map((_, i) => {
        const k = 21 - i;
        return k === 21 ? 'audio ended' : k % 7 === 0 ? 'longest number reached' : '';
      }),
    );
    assert.equal(await text(page, '#number-count'), `(${STRINGS_MAX})`);

    // A listed string's own copy button copies that string.
    const second = page.locator('#strings li').nth(1);
    await second.locator('button').click();
    await page.waitForFunction(
      () => document.querySelectorAll('#strings li')[1]?.querySelector('button')?.textContent === 'Copied',
    );
    assert.equal(await readClipboard(page), newest[1].replace(/ /g, ''));
    assert.equal(await second.locator('button').getAttribute('aria-label'), `Copy ${newest[1]}`);
    await page.screenshot({ path: artifact('strings-panel.png') });
    await page.locator('#number').screenshot({ path: artifact('strings-panel-done.png') });

    // Speech that held no digit (the recognizer declined): a "?" while heard, then nothing kept.
    const declined: PredictionMessage = { ...prediction(0, 0.3), digit: null };
    live.broadcast(declined);
    await page.waitForSelector('#number[data-state="building"]');
    assert.equal(await shownNumber(page, '#number-current'), '?');
    assert.equal(await page.locator('#number-current .nd.low').count(), 1);
    live.broadcast({
      type: 'digits',
      text: '',
      grouped: '',
      digits: [],
      startMs: declined.startMs,
      endMs: declined.endMs,
      latencyMs: 600,
      reason: 'pause',
    });
    await page.waitForSelector('#number[data-state="empty"]');
    assert.equal(await text(page, '#number-status'), 'heard speech, but no digit');
    assert.equal(await page.isDisabled('#number-copy'), true);
    assert.equal(await page.locator('#strings li').count(), STRINGS_MAX);
    assert.equal(await page.getAttribute('#strings li:first-child', 'data-text'), newest[0].replace(/ /g, ''));

    // Where the Clipboard API refuses (no permission, or plain http on a LAN address), the fallback copies.
    const refusing = await openDashboard(
      url,
      `const clipboard = navigator.clipboard;
    window.__readClipboard = () => clipboard.readText();
    clipboard.writeText = () => Promise.reject(new DOMException('refused for the test', 'NotAllowedError'));`,
    );
    // A page that connects later is given the server's recent numbers (the last 20 digits messages, the
    // empty one last): listed newest first, with their stream time, as the page never saw them happen.
    await refusing.page.waitForFunction(
      (n) => document.getElementById('strings')?.children.length === n,
      STRINGS_MAX - 1,
    );
    const replayed = await refusing.page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#strings li'), (li) => li.dataset.text),
    );
    assert.deepEqual(
      replayed,
      newest.slice(0, STRINGS_MAX - 1).map((s) => s.replace(/ /g, '')),
    );
    assert.match(
      await text(refusing.page, '#strings li:first-child .s-meta'),
      /^\d+:\d{2}\.\d · \d+ digits · audio ended$/,
    );
    assert.equal(await refusing.page.getAttribute('#number', 'data-state'), 'empty');
    const fallback = [prediction(4, 0.9), prediction(2, 0.9)];
    for (const p of fallback) live.broadcast(p);
    live.broadcast(closing('42', fallback, 'pause'));
    await refusing.page.waitForSelector('#number-current[data-text="42"]');
    await refusing.page.click('#number-copy');
    await refusing.page.waitForFunction(() => document.getElementById('number-copy')?.dataset.copied === 'true');
    assert.equal(
      await refusing.page.evaluate(() =>
        (window as unknown as { __readClipboard: () => Promise<string> }).__readClipboard(),
      ),
      '42',
    );
    // The textarea it used is gone.
    assert.equal(await refusing.page.locator('textarea').count(), 0);
    await refusing.page.close();
    await page.close();
    assert.deepEqual([...errors, ...refusing.errors], []);

    // A one-digit model: no number panel, no subscription to finished strings; the per-digit view works.
    model = { name: 'digit-test' };
    const single = await openDashboard(url);
    assert.equal(await single.page.getAttribute('body', 'data-recognizes'), 'digit');
    assert.equal(await single.page.isVisible('#number'), false);
    const want = (await sent(single.page)).find((m) => m.type === 'subscribe').want as string[];
    assert.ok(!want.includes('digits') && want.includes('prediction'), JSON.stringify(want));
    const before = live.stats().sent.digits ?? 0;
    const one = prediction(7, 0.9);
    live.broadcast(one);
    live.broadcast(closing('7', [one], 'pause'));
    await single.page.waitForFunction(() => document.getElementById('last-digit')?.textContent === '7');
    await synced(single.page);
    assert.equal(live.stats().sent.digits ?? 0, before, 'a one-digit page was sent a digits message');
    assert.equal(await single.page.isVisible('#number'), false);
    assert.equal(await single.page.locator('#strings li').count(), 0);
    assert.ok((await single.page.locator('#history li').count()) >= 1);
    assert.deepEqual(single.errors, []);
  },
);
