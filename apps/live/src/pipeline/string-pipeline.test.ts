import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ServerMessageSchema } from '@digits/protocol';
import { startLiveApp } from '../live-app';
import { createStdinSource } from '../sources/stdin-source';
import { buildDigitStream, digitStreamPcm } from '../testing/digit-stream';
import { FakeStringClassifier } from '../testing/fake-string-classifier';
import { connectClient } from '../testing/ws-client';

// One group "5 2 9" (150-250 ms gaps inside), after and before 1.5 s of quiet, in 30 dB white noise.
const FILES = ['5_jackson_3.wav', '2_jackson_7.wav', '9_jackson_1.wav'];

/** The live app on a stdin stream, with a fake string classifier that says `digits`; --json lines collected. */
async function startStringApp(digits: number[]) {
  const classifier = new FakeStringClassifier(digits);
  const input = new PassThrough();
  const lines: string[] = [];
  const app = await startLiveApp({
    source: createStdinSource({ sampleRate: 16000, input }),
    classifier,
    port: 0,
    json: true,
    out: (l) => lines.push(l),
    log: () => undefined,
  });
  return { app, classifier, input, lines };
}

test('a string model live: a stdin stream of a 3-digit group gives 3 predictions, then one digits message (stdout --json and the dashboard)', async () => {
  const stream = buildDigitStream(FILES, { gapMs: [150, 250], edgeMs: 1500, snrDb: 30, seed: 2 });
  const { app, classifier, input, lines } = await startStringApp([5, 2, 9]);
  try {
    const client = await connectClient(`ws://127.0.0.1:${app.server.port}/ws`);
    const hello = await client.next('hello');
    assert.equal(hello.type === 'hello' && hello.model.recognizes, 'strings');
    input.end(digitStreamPcm(stream));
    await app.ended;
    const printed = lines.map((l) => ServerMessageSchema.parse(JSON.parse(l)));
    assert.deepEqual(
      printed.map((m) => m.type),
      ['prediction', 'prediction', 'prediction', 'digits'],
    );
    const digits = printed[3];
    assert.ok(digits.type === 'digits');
    assert.equal(digits.text, '529');
    assert.equal(digits.grouped, '529');
    assert.equal(digits.reason, 'pause');
    // The string spans the group's speech; each digit became certain inside it (+ the 80 ms frame).
    assert.ok(digits.startMs >= stream.clips[0].startMs - 200 && digits.startMs <= stream.clips[0].startMs + 100);
    assert.ok(digits.endMs >= stream.clips[2].endMs - 150 && digits.endMs <= stream.clips[2].endMs + 150);
    digits.digits.forEach((d, i) =>
      assert.ok(d.endMs >= stream.clips[i].startMs && d.endMs <= stream.clips[i].endMs + 80, JSON.stringify(d)),
    );
    // The dashboard got the same messages.
    assert.deepEqual(await client.next('digits'), digits);
    assert.equal(client.messages.filter((m) => m.type === 'prediction').length, 3);
    assert.deepEqual(app.strings, [digits]);
    // One stream opened, with the pre-roll, closed at the pause.
    assert.equal(classifier.streams.length, 1);
    assert.equal(classifier.streams[0].closed, true);
    client.ws.close();
  } finally {
    await app.stop();
  }
});

test('a string model live: quiet noise alone opens no string and prints nothing', async () => {
  const stream = buildDigitStream([], { edgeMs: 4000, snrDb: 30, seed: 4 });
  const { app, classifier, input, lines } = await startStringApp([1]);
  try {
    input.end(digitStreamPcm(stream));
    await app.ended;
    assert.deepEqual(lines, []);
    assert.equal(classifier.streams.length, 0);
  } finally {
    await app.stop();
  }
});
