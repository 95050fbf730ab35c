import * as tf from '@tensorflow/tfjs';
import { hzToMel } from '@digits/dsp';
import { frameCount, type FeatureConfig } from '@digits/features';

/** Options of {@link buildModel5}. */
export interface Model5Options {
  /** Highest frequency the network looks at, in Hz. Default 4,000: FSDD is recorded at 8 kHz, so the
   * bands above 4 kHz hold only resampling residue in training, while a live microphone fills them. */
  maxHz?: number;
  /** Units of the three convolution blocks. Default [96, 128, 128]. */
  widths?: readonly number[];
  /** Dropout before the classifier, in [0, 1). Default 0.3. */
  dropout?: number;
  /** Output classes. Default 10 (the digits); 11 adds an "unknown" class. */
  classes?: number;
  /** Subtract each band's mean over the utterance's frames (cepstral mean normalisation: removes a
   * microphone's or room's fixed frequency response). Default true. */
  bandMeanNorm?: boolean;
  /** Seed of the weight initialisers. */
  seed?: number;
}

/**
 * Mel bands (from band 0) whose centre (Slaney mel scale, as the features use it) lies at or below `maxHz`, for `config`'s nMels bands spanning
 * 0 Hz to sampleRate/2. 46 of 64 at the default config and 4 kHz.
 */
export function bandsBelow(config: FeatureConfig, maxHz: number): number {
  const top = hzToMel(config.sampleRate / 2);
  const step = top / (config.nMels + 1);
  let n = 0;
  for (let b = 0; b < config.nMels; b++) if ((b + 1) * step <= hzToMel(maxHz)) n = b + 1;
  return Math.max(1, n);
}

/**
 * A 1-D convolution over time frames built from stock layers only: zero-pad the time axis, take `kernel`
 * shifted crops, concatenate them on the feature axis and apply one Dense (a time-distributed matrix).
 * Why not tf.layers.conv1d: the wasm backend has no Conv2DBackpropFilter kernel, so conv layers cannot
 * be trained there; these layers all have wasm gradients, and the saved model needs no custom class, so
 * the live app loads it as it is.
 */
function timeConv(
  x: tf.SymbolicTensor,
  units: number,
  kernel: number,
  name: string,
  seed: number | undefined,
): tf.SymbolicTensor {
  // x is (frames, 1, channels): tfjs has no 1-D padding or cropping layers, so the 2-D ones act on the
  // frame axis with a dummy width of 1.
  const left = Math.floor((kernel - 1) / 2);
  const right = kernel - 1 - left;
  const padded = tf.layers
    .zeroPadding2d({
      padding: [
        [left, right],
        [0, 0],
      ],
      name: `${name}_pad`,
    })
    .apply(x) as tf.SymbolicTensor;
  const taps = Array.from(
    { length: kernel },
    (_, j) =>
      tf.layers
        .cropping2D({
          cropping: [
            [j, kernel - 1 - j],
            [0, 0],
          ],
          name: `${name}_tap${j}`,
        })
        .apply(padded) as tf.SymbolicTensor,
  );
  const stacked = tf.layers.concatenate({ axis: -1, name: `${name}_taps` }).apply(taps) as tf.SymbolicTensor;
  const dense = tf.layers
    .dense({
      units,
      useBias: false,
      name: `${name}_dense`,
      kernelInitializer: tf.initializers.heNormal({ seed }),
    })
    .apply(stacked) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ axis: -1, name: `${name}_bn` }).apply(dense) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu` }).apply(bn) as tf.SymbolicTensor;
}

/**
 * Model 5: a small convolutional network over time frames, for voices it never heard.
 *
 * Input: the log-mel of the feature config, band-major (nMels, frames) = (64, 35), exactly what the
 * live app computes. Inside the network, so live and offline paths stay identical:
 * 1. band limit: keep the mel bands up to `maxHz` (4 kHz, FSDD's Nyquist) - what a live microphone adds
 *    above that never reaches the classifier;
 * 2. per-utterance normalisation: each band's mean over time removed (a fixed channel response
 *    cancels), then zero mean, unit variance over the whole kept spectrogram
 *    (LayerNormalization over both axes; tfjs needs its scale and offset: with neither, its wasm gradient fails), so level, gain and the dB floor do not matter;
 * 3. time-major view (frames, bands) throughout, and three convolution blocks over time (kernels 5, 3, 3; batch
 *    norm, ReLU; max-pool by 2 after the first two): receptive field about 17 frames (0.4 s);
 * 4. global max and average pooling over time (where in the 0.8 s window the digit sits does not
 *    matter), dropout, softmax.
 * About 115k parameters at the defaults; built from stock tfjs layers only.
 */
export function buildModel5(config: FeatureConfig, opts: Model5Options = {}): tf.LayersModel {
  const frames = frameCount(config);
  const kept = bandsBelow(config, opts.maxHz ?? 4000);
  const widths = opts.widths ?? [96, 128, 128];
  const seed = opts.seed;
  const classes = opts.classes ?? 10;
  const input = tf.input({ shape: [config.nMels, frames], name: 'logmel' });
  let x = input as tf.SymbolicTensor;
  if (kept < config.nMels) {
    x = tf.layers.reshape({ targetShape: [config.nMels, frames, 1], name: 'bands_4d' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .cropping2D({
        cropping: [
          [0, config.nMels - kept],
          [0, 0],
        ],
        name: 'band_limit',
      })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.reshape({ targetShape: [kept, frames], name: 'bands_kept' }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.permute({ dims: [2, 1], name: 'time_major' }).apply(x) as tf.SymbolicTensor;
  if (opts.bandMeanNorm ?? true) {
    // x - mean over time, per band, from stock layers (there is no subtract layer): mean, repeat, * -1, add.
    let mean = tf.layers.globalAveragePooling1d({ name: 'band_mean' }).apply(x) as tf.SymbolicTensor;
    mean = tf.layers.repeatVector({ n: frames, name: 'band_mean_frames' }).apply(mean) as tf.SymbolicTensor;
    mean = tf.layers.rescaling({ scale: -1, offset: 0, name: 'band_mean_negated' }).apply(mean) as tf.SymbolicTensor;
    x = tf.layers.add({ name: 'band_mean_removed' }).apply([x, mean]) as tf.SymbolicTensor;
  }
  x = tf.layers
    .layerNormalization({ axis: [1, 2], epsilon: 1e-3, name: 'utterance_norm' })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [frames, 1, kept], name: 'frames_4d' }).apply(x) as tf.SymbolicTensor;
  const kernels = [5, 3, 3];
  widths.forEach((units, i) => {
    x = timeConv(
      x,
      units,
      kernels[Math.min(i, kernels.length - 1)],
      `conv${i + 1}`,
      seed === undefined ? undefined : seed + i,
    );
    if (i < widths.length - 1) {
      x = tf.layers
        .maxPooling2d({ poolSize: [2, 1], strides: [2, 1], padding: 'same', name: `pool${i + 1}` })
        .apply(x) as tf.SymbolicTensor;
    }
  });
  const maxPool = tf.layers.globalMaxPooling2d({ name: 'time_max' }).apply(x) as tf.SymbolicTensor;
  const avgPool = tf.layers.globalAveragePooling2d({ name: 'time_mean' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.concatenate({ name: 'pooled' }).apply([maxPool, avgPool]) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: opts.dropout ?? 0.3, name: 'dropout' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({
      units: classes,
      activation: 'softmax',
      name: 'digit',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'model5' });
}

/**
 * The network a live app should load from an 11-class model 5 (10 digits + "unknown"): the same layers
 * and weights, but only the ten digit probabilities of the 11-way softmax come out. They sum to
 * 1 - p(unknown), so an utterance the model takes for unknown has a low top digit probability and any
 * confidence threshold (the live app's --threshold) rejects it - with the ten outputs the live protocol
 * and `labels.json` expect. Built from stock layers only (reshape, 2-D cropping), so it loads anywhere.
 */
export function digitsOnlyModel(model: tf.LayersModel): tf.LayersModel {
  const out = model.outputs[0];
  const classes = out.shape[out.shape.length - 1] as number;
  if (classes <= 10) return model;
  let x = tf.layers.reshape({ targetShape: [classes, 1, 1], name: 'class_axis_4d' }).apply(out) as tf.SymbolicTensor;
  x = tf.layers
    .cropping2D({
      cropping: [
        [0, classes - 10],
        [0, 0],
      ],
      name: 'drop_unknown',
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [10], name: 'digit_probs' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: model.inputs, outputs: x, name: 'model5_digits' });
}
