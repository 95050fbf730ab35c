import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { checkLiveOptions, runLiveCommand, type LiveCommandIo, type LiveCommandOptions } from './live-command';
import { registerLiveCommands } from './register';
import { sampleRate } from './option-parsers';
import { parseSourceSpec } from './source-spec';

const base: LiveCommandOptions = {
  source: { kind: 'mic' },
  model: '/nonexistent/model',
  port: 0,
  host: '127.0.0.1',
  threshold: 0.5,
};

function io(): LiveCommandIo & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    stdout: (l) => lines.push(l),
    stderr: (l) => lines.push(l),
    stdin: new PassThrough(),
    interrupted: new Promise(() => undefined),
  };
}

test('--source: mic, wav:PATH, stdin; anything else is a clear error', () => {
  assert.deepEqual(parseSourceSpec('mic'), { kind: 'mic' });
  assert.deepEqual(parseSourceSpec('wav:a b.wav'), { kind: 'wav', path: 'a b.wav' });
  assert.deepEqual(parseSourceSpec('stdin'), { kind: 'stdin' });
  assert.throws(() => parseSourceSpec('wav:'), /needs a file/);
  assert.throws(() => parseSourceSpec('digits.wav'), /write --source wav:digits\.wav/);
  assert.throws(() => parseSourceSpec('usb'), /--source must be mic, wav:PATH or stdin, got "usb"/);
});

test('option combinations that make no sense are refused', () => {
  assert.throws(() => checkLiveOptions({ ...base, fast: true }), /--fast applies to --source wav:PATH only/);
  assert.throws(
    () => checkLiveOptions({ ...base, exitAtEnd: true }),
    /--exit-at-end applies to --source wav:PATH or stdin/,
  );
  assert.throws(
    () => checkLiveOptions({ ...base, source: { kind: 'stdin' }, device: '2' }),
    /--device applies to --source mic only/,
  );
  assert.throws(
    () => checkLiveOptions({ ...base, source: { kind: 'wav', path: 'x.wav' }, rate: 16000 }),
    /--rate does not apply to a WAV file/,
  );
  assert.doesNotThrow(() =>
    checkLiveOptions({ ...base, source: { kind: 'wav', path: 'x.wav' }, fast: true, exitAtEnd: true }),
  );
});

test('a missing model folder is a clear error before any source is opened or port bound', async () => {
  const out = io();
  await assert.rejects(
    runLiveCommand({ ...base, source: { kind: 'wav', path: '/nonexistent.wav' } }, out),
    /model folder \/nonexistent\/model does not exist/,
  );
  assert.deepEqual(out.lines, []);
});

test(
  'a corrupt model folder is a clear error naming the file, before any source is opened or port bound',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'live-corrupt-'));
    try {
      for (const f of ['weights.bin', 'features.json', 'labels.json']) writeFileSync(path.join(dir, f), '{}');
      writeFileSync(path.join(dir, 'model.json'), '{ this is not JSON');
      const out = io();
      // A WAV path that does not exist: had the source been opened first, that would be the error.
      await assert.rejects(
        runLiveCommand({ ...base, model: dir, source: { kind: 'wav', path: '/nonexistent.wav' } }, out),
        /cannot load the model in .*model\.json/,
      );
      assert.ok(!out.lines.some((l) => l.startsWith('Dashboard')), out.lines.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('digits live --help explains the sources and shows examples; bad option values are refused', () => {
  let help = '';
  const program = new Command('digits')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (help += s), writeErr: (s) => (help += s) });
  registerLiveCommands(program);
  assert.throws(() => program.parse(['node', 'digits', 'live', '--help']), /outputHelp|help/i);
  for (const flag of [
    '--source <mic|wav:PATH|stdin>',
    '--device',
    '--rate',
    '--model',
    '--port',
    '--host',
    '--token',
    '--fast',
    '--exit-at-end',
    '--threshold',
    '--string-hangover <ms>',
    '--max-string-seconds <s>',
  ]) {
    assert.ok(help.includes(flag), `help mentions ${flag}`);
  }
  assert.match(help, /Examples:\n  digits live /);
  assert.match(help, /\(default:\s+models\/default\)/);
  // The digit-string mode: how a string closes and the digits message (help text is wrapped).
  const flat = help.replace(/\s+/g, ' ');
  assert.match(flat, /a string closes after a pause this long \(default 500\)/);
  assert.match(flat, /32 digits \(default 20\)/);
  assert.match(flat, /\{"type":"digits","text":"5551234","grouped":"555 1234"/);
  assert.match(flat, /more than 300 ms between two digits/);
  for (const [args, re] of [
    [['--string-hangover', '-1'], /--string-hangover must be a number from 0 to 10000 ms, got "-1"/],
    [['--max-string-seconds', '0.5'], /--max-string-seconds must be a number from 1 to 120 s/],
    [['--threshold', '2'], /--threshold must be a number from 0 to 1/],
    [['--port', '70000'], /--port must be 0-65535/],
    [['--rate', '-5'], /--rate must be an integer rate from 8000 to 192000 Hz, got "-5"/],
    [['--source', 'usb'], /--source must be mic/],
  ] as const) {
    help = '';
    assert.throws(() => program.parse(['node', 'digits', 'live', ...args]));
    assert.match(help, re);
  }
  help = '';
  assert.throws(() => program.parse(['node', 'digits', 'devices', '--help']));
  assert.match(help, /Lists the audio devices PortAudio sees/);
});

test('--rate accepts 8000-192000 Hz only and names the range otherwise', () => {
  const parse = sampleRate('--rate');
  assert.equal(parse('8000'), 8000);
  assert.equal(parse('192000'), 192000);
  for (const bad of ['1', '7999', '192001', '16000.5', 'abc']) {
    assert.throws(
      () => parse(bad),
      new RegExp(`--rate must be an integer rate from 8000 to 192000 Hz, got "${bad.replace('.', '\\.')}"`),
    );
  }
});

test('a --token under 16 characters on a non-loopback --host fails in the option checks, before the model loads', async () => {
  const remote: LiveCommandOptions = { ...base, host: '0.0.0.0', token: 'short' };
  assert.throws(
    () => checkLiveOptions(remote),
    /--token: the token is 5 characters; at least 16 are required to listen on 0\.0\.0\.0/,
  );
  assert.doesNotThrow(() => checkLiveOptions({ ...remote, token: 'x'.repeat(16) }));
  assert.doesNotThrow(() => checkLiveOptions({ ...remote, token: undefined }), 'no --token: one is generated');
  assert.doesNotThrow(() => checkLiveOptions({ ...base, token: 'short' }), 'loopback takes any token');
  // The model folder does not exist: had it been looked at first, that would be the error.
  const out = io();
  await assert.rejects(runLiveCommand(remote, out), /--token: the token is 5 characters/);
  assert.deepEqual(out.lines, []);
});
