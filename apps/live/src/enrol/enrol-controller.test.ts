import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type EnrolStateMessage } from '@digits/protocol';
import { FakeClassifier } from '../testing/fake-classifier';
import { connectClient, type RecordingClient } from '../testing/ws-client';
import { LiveServer } from '../server/live-server';
import { EnrolController } from './enrol-controller';
import type { Enroller } from './enroller';
import type { EnrolResult, EnrolTake, VoiceInfo } from './voice-api';

const RATE = 22050;
const BASE = '/models/base';
const speech = (seconds = 0.5) =>
  Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => 0.3 * Math.sin(i / 7));

/** An in-memory Enroller: a take under 0.1 s is "too short"; training waits for `release()` when held. */
class MemoryEnroller implements Enroller {
  voices: VoiceInfo[] = [];
  trained: { name: string; takes: string[] }[] = [];
  failNext = false;
  private held: { resolve: () => void; reject: (e: Error) => void } | undefined;
  hold = false;
  async checkTake(take: EnrolTake) {
    return take.samples.length < 0.1 * take.sampleRate ? 'too short' : null;
  }
  async enrol(
    req: { name: string; baseModelDir: string; takes: readonly EnrolTake[] },
    onProgress?: (d: number, t: number) => void,
  ): Promise<EnrolResult> {
    onProgress?.(1, 4);
    if (this.hold) await new Promise<void>((resolve, reject) => (this.held = { resolve, reject }));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('the loss went to NaN');
    }
    onProgress?.(4, 4);
    const dir = `/voices/${req.name}`;
    this.trained.push({ name: req.name, takes: req.takes.map((t) => t.name) });
    this.voices.unshift({
      name: req.name,
      dir,
      baseModel: req.baseModelDir,
      takes: req.takes.length,
      createdAt: '',
      method: 'm',
    });
    return { outDir: dir, takesUsed: req.takes.map((t) => t.name), rejected: [], seconds: 1.5, method: 'memory' };
  }
  release() {
    this.held?.resolve();
  }
  cancel() {
    this.held?.reject(new Error('enrolment cancelled'));
  }
  async listVoices() {
    return [...this.voices];
  }
  async close() {
    this.cancel();
  }
}

async function withController(
  body: (ctx: {
    controller: EnrolController;
    enroller: MemoryEnroller;
    classifier: FakeClassifier;
    client: RecordingClient;
    url: string;
  }) => Promise<void>,
): Promise<void> {
  const classifier = new FakeClassifier();
  const enroller = new MemoryEnroller();
  // The server's callbacks need the controller, whose broadcast needs the server.
  const late: { controller?: EnrolController } = {};
  const server = await LiveServer.start({
    port: 0,
    log: () => undefined,
    hello: () => ({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      model: late.controller?.helloModel() ?? classifier.info.model,
      featureConfig: { ...classifier.info.featureConfig },
      source: { kind: 'stdin', description: 'test', sampleRate: 16000 },
    }),
    welcome: () => late.controller?.welcome() ?? [],
    onEnrolMessage: (m, reply) => late.controller?.handle(m, reply),
  });
  const controller = new EnrolController({
    enroller,
    classifier,
    baseModelDir: BASE,
    broadcast: (m) => server.broadcast(m),
  });
  late.controller = controller;
  await controller.start();
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const client = await connectClient(url);
  try {
    await body({ controller, enroller, classifier, client, url });
  } finally {
    client.ws.close();
    await controller.close();
    await server.close();
  }
}

/** The next enrol-state satisfying `ok`. */
async function stateWhere(client: RecordingClient, ok: (s: EnrolStateMessage) => boolean): Promise<EnrolStateMessage> {
  for (;;) {
    const s = await client.next('enrol-state');
    if (ok(s)) return s;
  }
}

test('a connection learns the model in use and the enrolment state; requests out of turn get enrol-error', async () => {
  await withController(async ({ client }) => {
    assert.deepEqual(await client.next('model'), {
      type: 'model',
      active: 'base',
      name: 'fake-model',
      dir: BASE,
      voices: [],
    });
    assert.equal((await client.next('enrol-state')).active, false);
    for (const [m, code] of [
      [{ type: 'enrol-redo', digit: 1, take: 1 }, 'no-session'],
      [{ type: 'enrol-finish' }, 'no-session'],
      [{ type: 'enrol-cancel' }, 'no-session'],
      [{ type: 'enrol-play', digit: 0, take: 1 }, 'no-take'],
      [{ type: 'use-model', which: 'personal' }, 'no-voice'],
    ] as const) {
      client.send(m);
      assert.equal((await client.next('enrol-error')).code, code, JSON.stringify(m));
    }
    // Malformed ones are protocol errors, answered, and the connection lives on.
    client.send({ type: 'enrol-start', name: '../../etc', takesPerDigit: 9 });
    assert.match((await client.next('error')).message, /invalid "enrol-start" message: field "name"/);
    client.send({ type: 'ping', id: 1 });
    assert.equal((await client.next('pong')).id, 1);
  });
});

test('enrolment end to end: prompts, a bad take and its redo, playback, training, the switch and back', async () => {
  await withController(async ({ controller, enroller, classifier, client, url }) => {
    client.send({ type: 'enrol-start', name: 'ada', takesPerDigit: 1 });
    const first = await stateWhere(client, (s) => s.active);
    assert.deepEqual([first.name, first.prompt, first.takes.length], ['ada', { digit: 0, take: 1, redo: false }, 0]);
    client.send({ type: 'enrol-start', name: 'bob' });
    assert.equal((await client.next('enrol-error')).code, 'busy');

    for (let d = 0; d < 10; d++) controller.onUtterance(d === 3 ? speech(0.05) : speech(0.4 + d * 0.01), RATE);
    const full = await stateWhere(client, (s) => s.takes.length === 10 && s.takes[3].problem !== undefined);
    assert.equal(full.prompt, null);
    assert.equal(full.takes[3].problem, 'too short');
    assert.equal(full.takes[5].durationMs, 450);
    // More speech is no take: the session holds at most 10 x 1.
    controller.onUtterance(speech(), RATE);
    assert.equal(controller.stateMessage().takes.length, 10);

    client.send({ type: 'enrol-finish' });
    assert.match((await client.next('enrol-error')).message, /no usable take yet of 3/);
    client.send({ type: 'enrol-redo', digit: 3, take: 1 });
    assert.deepEqual((await stateWhere(client, (s) => s.prompt?.redo === true)).prompt, {
      digit: 3,
      take: 1,
      redo: true,
    });
    controller.onUtterance(speech(0.45), RATE);
    const redone = await stateWhere(client, (s) => s.prompt === null && s.takes[3].durationMs === 450);
    assert.equal(redone.takes[3].problem, undefined);

    client.send({ type: 'enrol-play', digit: 3, take: 1 });
    const audio = await client.next('enrol-take-audio');
    const bytes = Buffer.from(audio.pcm, 'base64').length;
    assert.ok(Math.abs(bytes - 0.45 * 16000 * 2) <= 4, `${bytes} bytes`);

    client.send({ type: 'enrol-finish' });
    const training = await stateWhere(client, (s) => s.training !== null);
    assert.equal(training.prompt, null);
    const done = await client.next('enrol-done');
    assert.deepEqual([done.voice, done.dir, done.takesUsed, done.method], ['ada', '/voices/ada', 10, 'memory']);
    assert.deepEqual(enroller.trained[0].takes.slice(0, 2), ['0_ada_1', '1_ada_1']);
    assert.equal((await stateWhere(client, (s) => !s.active)).takes.length, 0);
    // The classifier switches to the voice: a switching note, then the personal model.
    assert.equal((await client.next('model')).switching, undefined); // the one at connect
    const switching = await client.next('model');
    assert.equal(switching.switching, true);
    assert.deepEqual(await client.next('model'), {
      type: 'model',
      active: 'personal',
      name: 'ada',
      dir: '/voices/ada',
      voices: ['ada'],
    });
    assert.deepEqual(classifier.switchedTo, ['/voices/ada']);
    // A new connection's hello says the model is the personal voice.
    const other = await connectClient(url);
    const hello = await other.next('hello');
    assert.deepEqual([hello.model.name, hello.model.voice], ['ada', 'ada']);
    other.ws.close();

    client.send({ type: 'use-model', which: 'base' });
    await client.next('model');
    assert.equal((await client.next('model')).active, 'base');
    assert.deepEqual(classifier.switchedTo, ['/voices/ada', BASE]);
    client.send({ type: 'use-model', which: 'personal', voice: 'ada' });
    await client.next('model');
    assert.equal((await client.next('model')).active, 'personal');
    client.send({ type: 'use-model', which: 'personal', voice: 'zed' });
    assert.match((await client.next('enrol-error')).message, /there is no voice "zed"/);
  });
});

test('a training can be cancelled, and a failed one keeps the takes for another try', async () => {
  await withController(async ({ controller, enroller, client }) => {
    enroller.hold = true;
    client.send({ type: 'enrol-start', name: 'ada', takesPerDigit: 1 });
    await stateWhere(client, (s) => s.active);
    for (let d = 0; d < 10; d++) controller.onUtterance(speech(), RATE);
    client.send({ type: 'enrol-finish' });
    assert.deepEqual((await stateWhere(client, (s) => s.training !== null)).training, { done: 0, total: 1 });
    client.send({ type: 'enrol-finish' });
    assert.equal((await client.next('enrol-error')).code, 'busy');
    client.send({ type: 'enrol-redo', digit: 1, take: 1 });
    assert.equal((await client.next('enrol-error')).code, 'busy');
    // Utterances during training are not takes.
    controller.onUtterance(speech(), RATE);
    client.send({ type: 'enrol-cancel' });
    assert.equal((await stateWhere(client, (s) => !s.active)).active, false);
    assert.equal(enroller.trained.length, 0);

    enroller.hold = false;
    enroller.failNext = true;
    client.send({ type: 'enrol-start', name: 'ada', takesPerDigit: 1 });
    await stateWhere(client, (s) => s.active);
    for (let d = 0; d < 10; d++) controller.onUtterance(speech(), RATE);
    client.send({ type: 'enrol-finish' });
    assert.match((await client.next('enrol-error')).message, /training failed: the loss went to NaN/);
    const kept = await stateWhere(client, (s) => s.training === null && s.takes.length === 10);
    assert.equal(kept.active, true);
    client.send({ type: 'enrol-finish' });
    assert.equal((await client.next('enrol-done')).voice, 'ada');
  });
});

test('a switch that fails keeps the model in use and says why', async () => {
  const classifier = new FakeClassifier();
  const enroller = new MemoryEnroller();
  enroller.voices = [
    { name: 'old', dir: '/voices/broken-old', baseModel: BASE, takes: 10, createdAt: '', method: 'm' },
  ];
  const sent: { type: string }[] = [];
  const replies: { type: string; code?: string; message?: string }[] = [];
  const controller = new EnrolController({ enroller, classifier, baseModelDir: BASE, broadcast: (m) => sent.push(m) });
  await controller.start();
  assert.deepEqual(controller.modelMessage().voices, ['old']);
  controller.handle({ type: 'use-model', which: 'personal' }, (m) => replies.push(m));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(replies[0]?.code, 'switch-failed');
  assert.match(replies[0]?.message ?? '', /cannot load \/voices\/broken-old/);
  assert.equal(controller.modelMessage().active, 'base');
  assert.equal(controller.modelMessage().switching, undefined);
});

test('started on a personal voice (digits live --voice): it says so, and switches to the base it names', async () => {
  const classifier = new FakeClassifier();
  const enroller = new MemoryEnroller();
  const sent: { type: string }[] = [];
  const controller = new EnrolController({
    enroller,
    classifier,
    baseModelDir: BASE,
    initialVoice: { voice: 'ada', dir: '/voices/ada' },
    broadcast: (m) => sent.push(m),
  });
  assert.deepEqual(controller.modelMessage(), {
    type: 'model',
    active: 'personal',
    name: 'ada',
    dir: '/voices/ada',
    voices: [],
  });
  assert.equal(controller.helloModel().voice, 'ada');
  controller.handle({ type: 'use-model', which: 'base' }, () => assert.fail('no error expected'));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(classifier.switchedTo, [BASE]);
  // Once loaded, the base model's own name.
  assert.deepEqual(controller.modelMessage(), {
    type: 'model',
    active: 'base',
    name: 'fake-model',
    dir: BASE,
    voices: [],
  });
  assert.equal(controller.helloModel().voice, undefined);
});
