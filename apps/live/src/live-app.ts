import type { Subscription } from 'rxjs';
import {
  PROTOCOL_VERSION,
  type DigitsMessage,
  type HelloServerMessage,
  type PredictionMessage,
} from '@digits/protocol';
import type { SpeechDetectorConfig } from '@digits/stream';
import type { Classifier } from './classifier/classifier';
import { EnrolController } from './enrol/enrol-controller';
import type { Enroller } from './enrol/enroller';
import type { DigitStringsOptions } from './pipeline/digit-strings';
import { livePipeline } from './pipeline/live-pipeline';
import type { PredictionTimings } from './pipeline/classify-utterances';
import type { AudioSource, SourceStatus } from './sources/audio-source';
import { LiveServer } from './server/live-server';

/** Options of startLiveApp. */
export interface LiveAppOptions {
  /** The audio source, created (a WAV file read, a microphone found) but not yet subscribed. */
  source: AudioSource;
  /** The loaded classifier (startWorkerClassifier). The app closes it when it stops. */
  classifier: Classifier;
  /** Server address; default 127.0.0.1. */
  host?: string;
  /** Server port; default 8080; 0 for any free port. */
  port?: number;
  /** Access token (required by the server for a non-loopback host). */
  token?: string;
  /** Confidence threshold of predictions, 0..1, or a function read at each prediction (to follow the model
   * in use). Default 0.5. */
  threshold?: number | (() => number);
  /** Speech detector overrides. */
  detector?: Partial<SpeechDetectorConfig>;
  /** A digit-string model: string hangover, maximum length (see DigitStringsOptions). */
  strings?: DigitStringsOptions;
  /** Passed to the server (tests use small limits). */
  dropAboveBytes?: number;
  /** Passed to the server: WebSocket connection cap and per-client message rate (see LiveServerOptions). */
  maxClients?: number;
  messagesPerSecond?: number;
  /** Print predictions as JSON lines (the protocol message) instead of readable lines. Default false. */
  json?: boolean;
  /** Report lines for people (dashboard address, predictions). Default: stdout. */
  out?: (line: string) => void;
  /** Diagnostics (status changes, errors). Default: stderr. */
  log?: (line: string) => void;
  /** Called with each prediction's timings (the benchmark). */
  onTimings?: (timings: PredictionTimings) => void;
  /** Enrolment of personal voices ("teach it my voice"): the dashboard's panel drives it. Without it (or
   * with a classifier that cannot switch models) enrolment requests get an error. The app closes it. */
  enroller?: Enroller;
  /** The base model's folder, for enrolment and `use-model base`. Default the classifier's model path. */
  baseModelDir?: string;
  /** The classifier runs this enrolled voice (not the base model) from the start. */
  initialVoice?: { voice: string; dir: string };
}

/** A running live recognizer. */
export interface LiveApp {
  readonly server: LiveServer;
  /** The source it listens to. */
  readonly source: AudioSource;
  /**
   * Resolves once the source has ended and every prediction has been sent (a WAV file or stdin; a
   * microphone never ends); rejects when the source fails for good (e.g. the device cannot be opened).
   */
  readonly ended: Promise<void>;
  /** The last RECENT_KEPT predictions sent (a microphone runs for days: memory stays bounded). */
  readonly predictions: readonly PredictionMessage[];
  /** The last RECENT_KEPT digit strings closed (a digit-string model). */
  readonly strings: readonly DigitsMessage[];
  /** Enrolment and model switching, when an enroller was given. */
  readonly enrol?: EnrolController;
  /** Stops everything: source, pipeline, server, classifier worker. Safe to call twice. */
  stop(): Promise<void>;
}

/** "7 (93%)" or "- (41%, below threshold)". */
function describePrediction(p: PredictionMessage): string {
  const pct = `${Math.round(p.confidence * 100)}%`;
  const what = p.digit === null ? `-  (${pct}, below threshold)` : `${p.digit}  (${pct})`;
  return `digit ${what}  at ${(p.startMs / 1000).toFixed(2)}-${(p.endMs / 1000).toFixed(2)} s, latency ${Math.round(p.latencyMs)} ms`;
}

/** "digits 555 1234  at 1.20-3.40 s (pause), latency 520 ms". */
function describeDigits(m: DigitsMessage): string {
  const text = m.grouped === '' ? '(none)' : m.grouped;
  return `digits ${text}  at ${(m.startMs / 1000).toFixed(2)}-${(m.endMs / 1000).toFixed(2)} s (${m.reason}), latency ${Math.round(m.latencyMs)} ms`;
}

/**
 * Starts the live recognizer: the server first (so the dashboard can connect), then the pipeline on the
 * source; every pipeline message and every source status goes to the dashboard clients.
 */
export async function startLiveApp(options: LiveAppOptions): Promise<LiveApp> {
  const { source, classifier } = options;
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let enrol: EnrolController | undefined;
  const hello = (): HelloServerMessage => ({
    type: 'hello',
    protocolVersion: PROTOCOL_VERSION,
    model: enrol?.helloModel() ?? classifier.info.model,
    featureConfig: { ...classifier.info.featureConfig },
    source: source.info,
  });
  const baseModelDir = options.baseModelDir ?? classifier.info.model.path;
  const server = await LiveServer.start({
    welcome: () => enrol?.welcome() ?? [],
    onEnrolMessage: (message, reply) =>
      enrol
        ? enrol.handle(message, reply)
        : reply({ type: 'enrol-error', code: 'unsupported', message: 'this server has no enrolment (no enroller)' }),
    host: options.host,
    port: options.port,
    token: options.token,
    hello,
    dropAboveBytes: options.dropAboveBytes,
    maxClients: options.maxClients,
    messagesPerSecond: options.messagesPerSecond,
    log,
  });
  if (options.enroller && baseModelDir) {
    enrol = new EnrolController({
      enroller: options.enroller,
      classifier,
      baseModelDir,
      initialVoice: options.initialVoice,
      broadcast: (m) => server.broadcast(m),
      log,
    });
    // The voices on disk: not worth delaying the start for.
    enrol.start().catch((err: Error) => log(`live: enrolment unavailable: ${err.message}`));
  }
  const predictions: PredictionMessage[] = [];
  const strings: DigitsMessage[] = [];
  const subscriptions: Subscription[] = [];
  let stopped = false;

  subscriptions.push(
    source.status$.subscribe((status: SourceStatus) => {
      server.broadcast({ type: 'status', ...status });
      if (status.state !== 'starting') log(`live: source ${status.state}${status.detail ? `: ${status.detail}` : ''}`);
    }),
  );

  const ended = new Promise<void>((resolve, reject) => {
    subscriptions.push(
      livePipeline(source.chunks$, classifier, {
        featureConfig: classifier.info.featureConfig,
        threshold: options.threshold,
        detector: options.detector,
        strings: options.strings,
        onTimings: options.onTimings,
        onUtterance: enrol ? (u) => enrol?.onUtterance(u.samples, u.sampleRate) : undefined,
      }).subscribe({
        next: (message) => {
          server.broadcast(message);
          if (message.type === 'prediction') {
            keepRecent(predictions, message);
            out(options.json ? JSON.stringify(message) : describePrediction(message));
          } else if (message.type === 'digits') {
            keepRecent(strings, message);
            out(options.json ? JSON.stringify(message) : describeDigits(message));
          } else if (message.type === 'error') log(`live: ${message.message}`);
        },
        error: (err: Error) => {
          server.broadcast({ type: 'status', state: 'error', detail: err.message });
          server.broadcast({ type: 'error', code: 'source-failed', message: err.message });
          reject(err);
        },
        complete: () => resolve(),
      }),
    );
  });
  // Callers may not await `ended` (a microphone); keep an unobserved failure from crashing the process.
  ended.catch(() => undefined);

  return {
    server,
    source,
    ended,
    predictions,
    strings,
    enrol,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of subscriptions) s.unsubscribe();
      await server.flush(1000);
      await server.close();
      await (enrol ? enrol.close() : options.enroller?.close());
      await classifier.close();
    },
  };
}

/** How many predictions and digit strings LiveApp keeps for its callers. */
export const RECENT_KEPT = 1000;

/** Appends `item`, dropping the oldest beyond RECENT_KEPT. */
export function keepRecent<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > RECENT_KEPT) list.splice(0, list.length - RECENT_KEPT);
}
