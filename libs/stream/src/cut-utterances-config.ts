import type { CutUtterancesConfig } from './types';

/** Defaults of the optional CutUtterancesConfig fields (documented there); targetSampleRate has none. */
export const DEFAULT_CUT_UTTERANCES_CONFIG: Readonly<Omit<CutUtterancesConfig, 'targetSampleRate'>> = Object.freeze({
  bandSampleRate: 8000,
  trimTopDb: 40,
  trimAboveFloorDb: 6,
  trimWindowMs: 5,
  trimKeepMs: 10,
  trimKeepEndMs: 10,
});

/** The defaults completed by `config`, checked; throws a RangeError naming a bad field. */
export function resolveCutUtterancesConfig(
  config: Pick<CutUtterancesConfig, 'targetSampleRate'> & Partial<CutUtterancesConfig>,
): CutUtterancesConfig {
  const given = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  const resolved = { ...DEFAULT_CUT_UTTERANCES_CONFIG, ...given } as CutUtterancesConfig;
  for (const key of Object.keys(resolved)) {
    if (!(key in DEFAULT_CUT_UTTERANCES_CONFIG) && key !== 'targetSampleRate') {
      throw new RangeError(`CutUtterancesConfig: unknown field "${key}"`);
    }
  }
  for (const [key, value] of Object.entries(resolved)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`CutUtterancesConfig: field "${key}" must be a finite number >= 0, got ${String(value)}`);
    }
  }
  for (const key of ['targetSampleRate', 'bandSampleRate', 'trimWindowMs'] as const) {
    if (resolved[key] <= 0)
      throw new RangeError(`CutUtterancesConfig: field "${key}" must be positive, got ${resolved[key]}`);
  }
  return resolved;
}
