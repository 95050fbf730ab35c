// Public API of @digits/dataset: the Free Spoken Digit Dataset as data. Read a folder or zip, parse labels,
// split reproducibly, measure durations as the notebook did, and find (or download) the data.
export type {
  Clip,
  ClipCollection,
  ClipName,
  Dataset,
  Digit,
  ExcludedSpeaker,
  InputClip,
  SkippedEntry,
  Split,
} from './types';
export { compareClips, FSDD_NAME_PATTERN, parseClipName } from './clip-name';
export { readDataset, NOT_FSDD_NAME, type ReadDatasetOptions } from './read-dataset';
export { readClips } from './read-clips';
export { DataSourceError, MAX_WAV_FILE_BYTES, MAX_ZIP_ENTRY_BYTES, ZipEntryError } from './source-entries';
export { NOTEBOOK_SPEAKERS, UnknownSpeakerError } from './speakers';
export {
  DEFAULT_SPLIT_SEED,
  DEFAULT_TEST_FRACTION,
  OFFICIAL_TEST_MAX_TAKE,
  officialSplit,
  speakerSplit,
  stratifiedSplit,
  type SplitItem,
  type StratifiedSplitOptions,
} from './splits';
export { seededShuffle } from './seeded-shuffle';
export { percentileOfSorted, percentiles } from './percentile';
export {
  ANALYSIS_SAMPLE_RATE,
  clipDuration,
  durationStatistics,
  PAD_SECONDS,
  PERCENTILES_STEP10,
  PERCENTILES_TOP,
  resampledLength,
  type DurationStatistics,
  type DurationStatisticsOptions,
  type SpeakerDurations,
} from './durations';
export {
  DATA_LAYOUT_HINT,
  downloadFsdd,
  FSDD_ARCHIVE_URL,
  FSDD_ATTRIBUTION,
  type DownloadFsddOptions,
  type DownloadProgress,
  type DownloadResult,
} from './download';
export {
  resolveDataSource,
  type DataSource,
  type DataSourceOrigin,
  type ResolveDataSourceOptions,
} from './data-source';
export {
  generateDigitString,
  composeDigitString,
  prepareStringClips,
  StringClipPool,
  trimSilence,
  type DigitString,
  type DigitStringOptions,
  type PrepareStringClipsOptions,
  type StringClip,
  type FillerClip,
  type StringDigit,
} from './digit-strings';
