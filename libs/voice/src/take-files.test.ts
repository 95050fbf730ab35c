import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav16 } from '@digits/dsp';
import { parseTakeName, readTakeFiles } from './take-files';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'take-files-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const wav = () =>
  encodeWav16(
    Float32Array.from({ length: 4000 }, (_, i) => 0.3 * Math.sin(i / 3)),
    16000,
  );

test('parseTakeName reads {digit}_{name}_{n}.wav and says what is wrong with other names', () => {
  assert.deepEqual(parseTakeName('7_alice_12.WAV'), { digit: 7, name: 'alice', n: 12 });
  assert.match(
    String(parseTakeName('seven_alice_1.wav')),
    /seven_alice_1\.wav: not named \{digit\}_\{name\}_\{n\}\.wav/,
  );
  assert.match(String(parseTakeName('10_alice_1.wav')), /not named/);
  assert.match(String(parseTakeName('7_alice.wav')), /not named/);
  assert.match(String(parseTakeName('7_alice_1.mp3')), /not a \.wav file/);
});

test('readTakeFiles reads a folder of takes with their digits and the names they carry; other files are ignored', async () => {
  const dir = path.join(tmp, 'good');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, '0_alice_0.wav'), wav());
  fs.writeFileSync(path.join(dir, '9_alice_3.wav'), wav());
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
  const got = await readTakeFiles(dir);
  assert.deepEqual(
    got.takes.map((t) => [t.digit, t.name, t.sampleRate, t.samples.length]),
    [
      [0, '0_alice_0.wav', 16000, 4000],
      [9, '9_alice_3.wav', 16000, 4000],
    ],
  );
  assert.deepEqual(got.names, ['alice']);
});

test('readTakeFiles names every misnamed or undecodable WAV in one error', async () => {
  const dir = path.join(tmp, 'bad');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, '1_bob_0.wav'), wav());
  fs.writeFileSync(path.join(dir, 'two.wav'), wav());
  fs.writeFileSync(path.join(dir, '3_bob_0.wav'), 'not a wav');
  await assert.rejects(readTakeFiles(dir), (e: Error) => {
    assert.match(e.message, /2 file\(s\) cannot be used as takes/);
    assert.match(e.message, /two\.wav: not named \{digit\}_\{name\}_\{n\}\.wav/);
    assert.match(e.message, /3_bob_0\.wav/);
    assert.doesNotMatch(e.message, /1_bob_0/);
    return true;
  });
});
