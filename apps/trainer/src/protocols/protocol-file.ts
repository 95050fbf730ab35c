import { mkdirSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { readProtocolFile, type FoldResult, type ProtocolFile, type ProtocolName } from '../run-files';
import { PROTOCOLS, summariseProtocol } from './protocols';

export { protocolFilePath, readProtocolFile, type ProtocolFile } from '../run-files';

/** Settings that must match for recorded folds to be reused. */
export type ProtocolSettings = Omit<ProtocolFile, 'results'>;

/** Whether recorded results were made with these settings (else they are not reused). */
export function sameSettings(a: ProtocolSettings, b: ProtocolSettings): boolean {
  return (
    a.experiment === b.experiment &&
    a.seed === b.seed &&
    a.epochs === b.epochs &&
    a.extraTrain === b.extraTrain &&
    a.unknowns === b.unknowns &&
    a.roomCopies === b.roomCopies &&
    (a.roomsWithout ?? []).join(',') === (b.roomsWithout ?? []).join(',') &&
    a.roomBackgrounds === b.roomBackgrounds &&
    a.roomExtra === b.roomExtra
  );
}

/** The recorded result of one fold, if the file has it. */
export function recordedFold(
  file: ProtocolFile | null,
  protocol: ProtocolName,
  foldName: string,
): FoldResult | undefined {
  return file?.results.find((r) => r.protocol === protocol)?.folds.find((f) => f.name === foldName);
}

/**
 * Adds (or replaces) one fold's result and rewrites the file atomically, so an interrupted evaluation
 * keeps every fold it finished. Results made with other settings are dropped.
 */
export async function recordFold(
  file: string,
  settings: ProtocolSettings,
  protocol: ProtocolName,
  fold: FoldResult,
): Promise<ProtocolFile> {
  const old = readProtocolFile(file);
  const results = old && sameSettings(old, settings) ? old.results : [];
  const prev = results.find((r) => r.protocol === protocol);
  const folds = [...(prev?.folds.filter((f) => f.name !== fold.name) ?? []), fold].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const summary = summariseProtocol(protocol, folds);
  const next: ProtocolFile = {
    ...settings,
    results: [...results.filter((r) => r.protocol !== protocol), summary].sort(
      (a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol),
    ),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(next, null, 2) + '\n');
  return next;
}
