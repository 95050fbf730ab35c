import { concatWith, defer, finalize, mergeMap, type OperatorFunction } from 'rxjs';
import { powerToDbfs } from './levels';
import type { AudioLevel } from './types';

/**
 * Thins a level stream to at most `maxPerSecond` levels per second of stream time, for a dashboard
 * meter. Instead of dropping levels it summarises each window of 1000 / maxPerSecond ms: the RMS is the
 * power mean over the window (weighted by duration) and the peak is the window's maximum, so a short
 * click still shows. A window is emitted as soon as its audio is complete, when a gap in the stream
 * time leaves it unfinished, and at completion.
 *
 * Stream time rather than wall time: the output does not depend on how fast the source delivers (a WAV
 * file or the virtual microphone delivers seconds of audio in milliseconds), and the tests are exact.
 *
 * ```
 * levels (10 ms each, tMs):  --a(0)--b(10)--c(20)--d(30)--e(40)--|
 * throttleLevel(50):         ---------X--------------Y--------(Z|)
 *                              X = a+b (tMs 0, 20 ms), Y = c+d (tMs 20), Z = e (tMs 40, 10 ms)
 * ```
 *
 * @example
 * frames$.pipe(audioLevel(), throttleLevel(20)).subscribe((l) => send({ type: 'level', ...l }));
 *
 * @param maxPerSecond levels per second of stream time; default 20 (50 ms windows).
 */
export function throttleLevel(maxPerSecond = 20): OperatorFunction<AudioLevel, AudioLevel> {
  if (!(maxPerSecond > 0 && Number.isFinite(maxPerSecond))) {
    throw new RangeError(`throttleLevel: maxPerSecond must be a positive number, got ${maxPerSecond}`);
  }
  const windowMs = 1000 / maxPerSecond;
  // Frames of 22,050 Hz audio last 10.02 ms; a little slack keeps windows from ending a frame late.
  const slackMs = 1e-6 * windowMs;
  return (source) =>
    defer(() => {
      let open: { tMs: number; endMs: number; energy: number; peak: number } | undefined;
      const close = (): AudioLevel[] => {
        if (!open) return [];
        const durationMs = open.endMs - open.tMs;
        const level: AudioLevel = {
          rmsDbfs: powerToDbfs(durationMs > 0 ? open.energy / durationMs : 0),
          peakDbfs: open.peak,
          tMs: open.tMs,
          durationMs,
        };
        open = undefined;
        return [level];
      };
      return source.pipe(
        mergeMap((level) => {
          const out: AudioLevel[] = [];
          // A gap (or a jump back) in the stream time: the open window cannot be completed.
          if (open && (level.tMs > open.endMs + slackMs || level.tMs < open.tMs)) out.push(...close());
          const endMs = level.tMs + level.durationMs;
          const energy = 10 ** (level.rmsDbfs / 10) * level.durationMs;
          if (!open) open = { tMs: level.tMs, endMs, energy, peak: level.peakDbfs };
          else {
            open.endMs = endMs;
            open.energy += energy;
            open.peak = Math.max(open.peak, level.peakDbfs);
          }
          if (open.endMs >= open.tMs + windowMs - slackMs) out.push(...close());
          return out;
        }),
        concatWith(defer(() => close())),
        finalize(() => {
          open = undefined;
        }),
      );
    });
}
