import { mkdirSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { readJsonIfExists } from '../json-file';
import { PROTOCOLS, summariseProtocol, type FoldResult, type ProtocolName, type ProtocolResult } from './protocols';

/**
 * What `digits eval-protocol` records for one experiment: the settings that change its figures and one
 * result per protocol. Kept in a run folder as `protocols/model<N>.json`, where the report reads it.
 */
export interface ProtocolFile {
  experiment: number;
  seed: number;
  /** Model 5 only: epochs per fold, the extra training folder and the unknowns folder. */
  epochs?: number;
  extraTrain?: string;
  unknowns?: string;
  results: ProtocolResult[];
}

/** Settings that must match for recorded folds to be reused. */
export type ProtocolSettings = Omit<ProtocolFile, 'results'>;

/** Where a run folder keeps experiment `n`'s protocol results. */
export function protocolFilePath(runDir: string, experiment: number): string {
  return path.join(runDir, 'protocols', `model${experiment}.json`);
}

/**
 * Reads a protocol file; null when it does not exist.
 * @throws an error naming the file and the field when it is not a protocol file
 */
export function readProtocolFile(file: string): ProtocolFile | null {
  const data = readJsonIfExists<unknown>(file);
  if (data === undefined) return null;
  const bad = (what: string) => new Error(`${file}: ${what} (expected what \`digits eval-protocol\` writes)`);
  const f = data as ProtocolFile;
  if (typeof f !== 'object' || f === null) throw bad('not a JSON object');
  if (!Number.isInteger(f.experiment) || f.experiment < 1 || f.experiment > 5) throw bad(`"experiment" must be 1-5, got ${JSON.stringify(f.experiment)}`);
  if (!Array.isArray(f.results)) throw bad('"results" must be a list');
  for (const r of f.results) {
    if (!(PROTOCOLS as readonly string[]).includes(r?.protocol)) throw bad(`unknown protocol ${JSON.stringify(r?.protocol)}`);
    if (!Array.isArray(r.folds) || r.folds.length === 0) throw bad(`"${r.protocol}" has no folds`);
    for (const fold of r.folds) {
      if (typeof fold?.name !== 'string' || !(fold.nTest > 0) || !Number.isInteger(fold.correct)) {
        throw bad(`a fold of "${r.protocol}" lacks name, nTest or correct`);
      }
    }
  }
  return f;
}

/** Whether recorded results were made with these settings (else they are not reused). */
export function sameSettings(a: ProtocolSettings, b: ProtocolSettings): boolean {
  return a.experiment === b.experiment && a.seed === b.seed && a.epochs === b.epochs &&
    a.extraTrain === b.extraTrain && a.unknowns === b.unknowns;
}

/** The recorded result of one fold, if the file has it. */
export function recordedFold(file: ProtocolFile | null, protocol: ProtocolName, foldName: string): FoldResult | undefined {
  return file?.results.find((r) => r.protocol === protocol)?.folds.find((f) => f.name === foldName);
}

/**
 * Adds (or replaces) one fold's result and rewrites the file atomically, so an interrupted evaluation
 * keeps every fold it finished. Results made with other settings are dropped.
 */
export async function recordFold(file: string, settings: ProtocolSettings, protocol: ProtocolName, fold: FoldResult): Promise<ProtocolFile> {
  const old = readProtocolFile(file);
  const results = old && sameSettings(old, settings) ? old.results : [];
  const prev = results.find((r) => r.protocol === protocol);
  const folds = [...(prev?.folds.filter((f) => f.name !== fold.name) ?? []), fold].sort((a, b) => a.name.localeCompare(b.name));
  const summary = summariseProtocol(protocol, folds);
  const next: ProtocolFile = {
    ...settings,
    results: [...results.filter((r) => r.protocol !== protocol), summary]
      .sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol)),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(next, null, 2) + '\n');
  return next;
}
