// @digits/dsp/testing: test and benchmark support for the whole workspace (Node only).
export {
  REPO_ROOT,
  SHARED_DIR,
  SHARED_FSDD,
  FSDD_RECORDINGS,
  FSDD_RECORDINGS_ZIP,
  LIBROSA_REFERENCE,
} from './fixture-paths';
