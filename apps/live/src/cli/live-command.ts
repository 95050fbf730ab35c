import type { Readable } from 'node:stream';
import { Option, type Command } from 'commander';
import fs from 'node:fs';
import { DEFAULT_MODEL_DIR, DEFAULT_MODEL_DIR_LABEL } from '@digits/model/default-model-dir';
import path from 'node:path';
import { VoiceNameSchema } from '@digits/protocol';
import { readEnrolmentMeta, voiceDir } from '@digits/voice/voice-dirs';
import { DEFAULT_THRESHOLD } from '../pipeline/classify-utterances';
import { STRING_DEFAULTS } from '../pipeline/digit-strings';
import { checkModelFolder, startWorkerClassifier } from '../classifier/worker-classifier';
import { voiceEnroller } from '../enrol/voice-enroller';
import { startLiveApp } from '../live-app';
import { isLoopbackHost, generateToken, tokenLengthProblem } from '../server/access-control';
import type { AudioSource } from '../sources/audio-source';
import { openMicSource } from '../sources/mic/mic-source';
import { createStdinSource } from '../sources/stdin-source';
import { createWavSource } from '../sources/wav-source';
import { numberIn, port, positiveInt, probability, sampleRate } from './option-parsers';
import { parseSourceSpec, type SourceSpec } from './source-spec';

// The repository's pretrained model, whatever the working directory (defined once, in libs/model; this
// entry point of it loads no tfjs into the main thread).
export { DEFAULT_MODEL_DIR } from '@digits/model/default-model-dir';

/** Rate assumed for `--source stdin` without `--rate`, in Hz. */
export const DEFAULT_STDIN_RATE = 16000;

/** Options of `digits live`, as parsed. */
export interface LiveCommandOptions {
  /** `--source`: default the microphone. */
  source: SourceSpec;
  /** `--device`: PortAudio index or part of a name (mic only). */
  device?: string;
  /** `--rate`: capture rate of the mic, or the rate of the raw PCM on stdin, in Hz. */
  rate?: number;
  /** `--model`: model folder. Default models/default. */
  model: string;
  /** `--voice`: an enrolled voice's name; its folder (voiceDir) is used as the model. */
  voice?: string;
  /** `--port`: default 8080. */
  port: number;
  /** `--host`: default 127.0.0.1. */
  host: string;
  /** `--token`: access token; generated when `--host` is not loopback and none is given. */
  token?: string;
  /** `--max-clients`: WebSocket connections open at once. Default 128 (100 dashboards held in testing). */
  maxClients?: number;
  /** `--client-rate`: messages per second a client may send (burst: twice that); above it, it is closed. Default 50. */
  clientRate?: number;
  /** `--fast`: a WAV file as fast as possible instead of in real time. */
  fast?: boolean;
  /** `--exit-at-end`: exit 0 once a wav/stdin source has ended and every prediction has been sent. */
  exitAtEnd?: boolean;
  /** `--threshold`: confidence below which no digit is claimed, 0..1. Default: the model's own
   * (meta.json unknownThreshold), else 0.5. */
  threshold?: number;
  /** `--verbose`: show PortAudio/ALSA output. */
  verbose?: boolean;
  /** `--json`: print each prediction (and digits) message as its protocol JSON (one line) instead of a readable line. */
  json?: boolean;
  /** `--string-hangover`: a digit string closes after a pause this long, ms. Default 500. */
  stringHangover?: number;
  /** `--max-string-seconds`: a digit string closes at this much audio. Default 20. */
  maxStringSeconds?: number;
}

/** Where `digits live` reads and writes; tests pass their own. */
export interface LiveCommandIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  stdin: Readable & { isTTY?: boolean };
  /** Resolves when the user asks to stop (Ctrl-C); default: SIGINT or SIGTERM. */
  interrupted: Promise<void>;
}

function defaultIo(): LiveCommandIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    stdin: process.stdin,
    interrupted: new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
  };
}

/** Checks option combinations that commander cannot; throws a clear error. */
export function checkLiveOptions(o: LiveCommandOptions): void {
  const kind = o.source.kind;
  if (o.fast && kind !== 'wav')
    throw new Error('--fast applies to --source wav:PATH only (a microphone and stdin set their own pace)');
  if (o.exitAtEnd && kind === 'mic')
    throw new Error('--exit-at-end applies to --source wav:PATH or stdin (a microphone never ends)');
  if (o.device !== undefined && kind !== 'mic') throw new Error('--device applies to --source mic only');
  if (o.rate !== undefined && kind === 'wav')
    throw new Error('--rate does not apply to a WAV file (it carries its own rate)');
  const tokenProblem = tokenLengthProblem(o.host, o.token);
  if (tokenProblem) throw new Error(`--token: ${tokenProblem}`);
}

async function openSource(o: LiveCommandOptions, io: LiveCommandIo): Promise<AudioSource> {
  switch (o.source.kind) {
    case 'wav':
      return createWavSource({ path: o.source.path, fast: o.fast });
    case 'stdin':
      if (io.stdin.isTTY)
        throw new Error('--source stdin reads raw s16le mono PCM from a pipe, but stdin is a terminal');
      return createStdinSource({ sampleRate: o.rate ?? DEFAULT_STDIN_RATE, input: io.stdin });
    case 'mic':
      return openMicSource({ device: o.device, sampleRate: o.rate, verbose: o.verbose, log: io.stderr });
  }
}

/**
 * `digits live`: checks the model folder, opens the source, loads the model in its worker thread, then
 * serves the dashboard and recognises until Ctrl-C (or, with --exit-at-end, until a file or stdin has
 * ended and every prediction has been sent). Returns the exit code; throws clear errors for bad input.
 */
export async function runLiveCommand(o: LiveCommandOptions, io: LiveCommandIo = defaultIo()): Promise<number> {
  checkLiveOptions(o);
  checkModelFolder(o.model);
  let token = o.token;
  if (!token && !isLoopbackHost(o.host)) {
    token = generateToken();
    io.stderr(`live: listening beyond this machine (--host ${o.host}): clients need the token ${token}`);
  }
  // The model first: a corrupt folder is then an error before a device is opened or a port bound.
  const classifier = await startWorkerClassifier(o.model, { log: io.stderr });
  const strings = classifier.info.recognizes === 'strings';
  const threshold = o.threshold ?? classifier.info.unknownThreshold ?? DEFAULT_THRESHOLD;
  if (!strings && (o.stringHangover !== undefined || o.maxStringSeconds !== undefined))
    io.stderr('live: --string-hangover and --max-string-seconds apply to a digit-string model only');
  const { baseModelDir, initialVoice } = personalModel(o.model, o.voice);
  let app;
  try {
    const source = await openSource(o, io);
    app = await startLiveApp({
      source,
      classifier,
      host: o.host,
      port: o.port,
      token,
      // Without --threshold, the threshold of the model in use (the base, or a personal voice switched to).
      threshold: o.threshold ?? (() => classifier.info.unknownThreshold ?? DEFAULT_THRESHOLD),
      maxClients: o.maxClients,
      messagesPerSecond: o.clientRate,
      json: o.json,
      out: io.stdout,
      log: io.stderr,
      strings: {
        hangoverMs: o.stringHangover,
        maxStringMs: o.maxStringSeconds === undefined ? undefined : o.maxStringSeconds * 1000,
        threshold,
      },
      // "Teach it my voice": @digits/voice in its own process, voices under $DIGITS_HOME/voices (one-digit
      // models only: a personal model is a one-digit head).
      enroller: strings ? undefined : voiceEnroller({ log: io.stderr }),
      baseModelDir,
      initialVoice,
    });
  } catch (err) {
    await classifier.close();
    throw err;
  }
  const source = app.source;
  // With --json, stdout carries protocol lines only (predictions; digits for a string model).
  (o.json ? io.stderr : io.stdout)(`Dashboard: ${app.server.urls.join('  ')}`);
  const decides = strings
    ? `digits claimed from confidence ${threshold}, strings close after a ${o.stringHangover ?? STRING_DEFAULTS.hangoverMs} ms pause`
    : `unknown below confidence ${threshold}`;
  io.stderr(
    `live: source ${source.info.description}; model ${classifier.info.model.name} (${classifier.info.backend}); ${decides}; Ctrl-C stops`,
  );
  const interrupted = io.interrupted.then(() => 'interrupted' as const);
  try {
    const first = await Promise.race([app.ended.then(() => 'ended' as const), interrupted]);
    if (first === 'ended' && !o.exitAtEnd) {
      io.stderr('live: the source has ended; the dashboard stays up until Ctrl-C');
      await interrupted;
    }
  } finally {
    await app.stop();
  }
  return 0;
}

/** `--voice NAME` resolved to its folder as `model` (an error with --model too, or when no such voice exists). */
export function withVoice(o: LiveCommandOptions, modelGiven: boolean): LiveCommandOptions {
  if (o.voice === undefined) return o;
  if (modelGiven) throw new Error('give --voice NAME or --model DIR, not both');
  const dir = voiceDir(o.voice);
  if (!fs.existsSync(dir))
    throw new Error(
      `no voice "${o.voice}" at ${dir} (\`digits voices\` lists them; \`digits enrol --voice ${o.voice}\` makes it)`,
    );
  return { ...o, model: dir };
}

/**
 * For a personal model (`--voice`, or --model on a voice folder: its meta.json has an `enrolment` block),
 * the dashboard's "base model" is the one it was enrolled on (when still there, else the default model)
 * and it starts on the voice; for any other model, that model is the base.
 */
export function personalModel(
  modelDir: string,
  voice?: string,
): { baseModelDir: string; initialVoice?: { voice: string; dir: string } } {
  const enrolment = readEnrolmentMeta(modelDir);
  if (!enrolment) return { baseModelDir: modelDir };
  const baseModelDir = fs.existsSync(enrolment.baseModel) ? enrolment.baseModel : DEFAULT_MODEL_DIR;
  const name = voice ?? enrolment.voiceName ?? path.basename(path.resolve(modelDir));
  // Only a name the protocol can carry (a folder named otherwise is shown as a base model).
  if (!VoiceNameSchema.safeParse(name).success) return { baseModelDir };
  return { baseModelDir, initialVoice: { voice: name, dir: path.resolve(modelDir) } };
}

/** Registers `digits live` on `program`. */
export function registerLiveCommand(program: Command): void {
  program
    .command('live')
    .summary('recognise spoken digits live and show them on a browser dashboard')
    .description(
      'Listens to a microphone (PortAudio), a WAV file or raw PCM on stdin, finds spoken digits, classifies each one ' +
        'with the model in a worker thread and serves a live dashboard (level, spectrogram, digits) over HTTP + WebSocket.',
    )
    .addOption(
      new Option(
        '--source <mic|wav:PATH|stdin>',
        'audio source: the microphone, a WAV file, or raw s16le mono PCM on stdin',
      )
        .argParser(parseSourceSpec)
        .default({ kind: 'mic' }, 'mic'),
    )
    .option(
      '--device <id|name>',
      'microphone: PortAudio device index or part of its name (see `digits devices`; default: the default input)',
    )
    .option(
      '--rate <Hz>',
      `microphone capture rate (default: the device's default rate), or the rate of stdin PCM (default ${DEFAULT_STDIN_RATE}); 8000-192000`,
      sampleRate('--rate'),
    )
    .addOption(
      new Option('--model <folder>', 'model folder: model.json, weights.bin, features.json, labels.json').default(
        DEFAULT_MODEL_DIR,
        DEFAULT_MODEL_DIR_LABEL,
      ),
    )
    .option('--voice <name>', 'use an enrolled voice (`digits voices`) as the model, instead of --model')
    .option('--port <n>', 'HTTP + WebSocket port (0: any free port)', port, 8080)
    .option('--host <address>', 'address to listen on; anything but 127.0.0.1/localhost requires a token', '127.0.0.1')
    .option('--token <token>', 'access token for clients (default: generated and printed when --host is not local)')
    .option(
      '--max-clients <n>',
      'WebSocket connections open at once; further ones get a 503 (default 128)',
      positiveInt('--max-clients'),
    )
    .option(
      '--client-rate <n>',
      'messages per second each client may send (burst 100); a client above it is closed with code 1008 (default 50)',
      positiveInt('--client-rate'),
    )
    .option('--fast', 'WAV source: stream as fast as possible instead of in real time')
    .option('--exit-at-end', 'wav/stdin source: exit 0 once it has ended and every prediction has been sent')
    .option(
      '--threshold <p>',
      `confidence below which the digit is reported as none (0-1; default: the model's unknownThreshold, else ${DEFAULT_THRESHOLD})`,
      probability('--threshold'),
    )
    .option(
      '--json',
      'print each prediction (and, with a string model, each digits message) as a JSON line instead of a readable line',
    )
    .option(
      '--string-hangover <ms>',
      `digit-string model: a string closes after a pause this long (default ${STRING_DEFAULTS.hangoverMs})`,
      numberIn('--string-hangover', 0, 10_000, 'ms'),
    )
    .option(
      '--max-string-seconds <s>',
      `digit-string model: a string closes at this much audio or ${STRING_DEFAULTS.maxDigits} digits (default ${STRING_DEFAULTS.maxStringMs / 1000})`,
      numberIn('--max-string-seconds', 1, 120, 's'),
    )
    .option('--verbose', 'show what PortAudio and ALSA print')
    .addHelpText(
      'after',
      `
Examples:
  digits live                                      # default microphone, dashboard on http://127.0.0.1:8080/
  digits live --device 2 --rate 16000              # another input device at 16 kHz
  digits live --source wav:digits.wav              # a recording, in real time
  digits live --voice alice                        # the model enrolled for alice (digits enrol --voice alice)
  digits live --source wav:digits.wav --fast --exit-at-end --port 0 --json
  arecord -q -f S16_LE -r 16000 -c 1 | digits live --source stdin --rate 16000
  digits live --host 0.0.0.0 --port 9000           # reachable from the network; prints the URL with its token

Predictions are printed here too; the dashboard shows the level, a live log-mel spectrogram, the last digit with
its probabilities and a history; its "Enrol my voice" panel records your digits, trains a personal model
(saved under $DIGITS_HOME/voices, default ~/.digits/voices) and switches to it. Each prediction message is
  {"type":"prediction","digit":0-9|null,"confidence","probs":[10],"startMs","endMs","latencyMs"}.

A digit-string model (\`digits train-strings\`; its folder is recognised by its meta.json) hears strings such as
"5 5 5 1 2 3 4": the speech detector opens a string, each digit is printed (a prediction message) as soon as
the model is sure of it (a frame gives it at least --threshold), and the string closes after a pause longer than --string-hangover, at
--max-string-seconds of audio or ${STRING_DEFAULTS.maxDigits} digits, or at the end of the audio, with one line
  {"type":"digits","text":"5551234","grouped":"555 1234","digits":[...],"startMs","endMs","latencyMs","reason"}
(grouped: a space where the speech paused more than ${STRING_DEFAULTS.groupGapMs} ms between two digits).`,
    )
    .action(async (opts: LiveCommandOptions, cmd: Command) => {
      process.exitCode = await runLiveCommand(withVoice(opts, cmd.getOptionValueSource('model') === 'cli'));
    });
}
