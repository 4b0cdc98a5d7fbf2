/**
 * Squeeze-and-Excitation (Hu et al. 2018) on the shipped `cnn-se` (demos/runtime/models/zoo.ts): the network is
 * run layer by layer so that each SE block's maps before rescaling u, its squeeze z = mean over positions of u,
 * and its excitations s = σ(W₂ δ(W₁ z)) come back with the class probabilities, in one read-back. Also the
 * parameter and multiply-add cost of SE blocks, for this network and for ResNet-50's stages.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { floatImages } from '../runtime/data/loader';
import type { MnistArrays } from '../runtime/data/idx';

/** MNIST pixels per digit. */
export const PIXELS = 784;

/** One SE block of `cnn-se`: the convolution it follows, its channels and the side of its maps. */
export interface SeBlockInfo {
  name: 'se1' | 'se2';
  conv: 'conv1' | 'conv2';
  channels: number;
  side: number;
}

/** The two blocks of `cnn-se`: after conv1 (16 maps of 26×26) and after conv2 (32 maps of 11×11). */
export const SE_BLOCKS: readonly SeBlockInfo[] = [
  { name: 'se1', conv: 'conv1', channels: 16, side: 26 },
  { name: 'se2', conv: 'conv2', channels: 32, side: 11 },
];

/** What one SE block did to a batch of n digits (row-major, digit first). */
export interface BlockResult {
  info: SeBlockInfo;
  /** Squeeze: the mean of each map, n × C. */
  z: Float32Array;
  /** Excitations s_c ∈ (0, 1), n × C. */
  s: Float32Array;
  /** The maps before rescaling u, n × side × side × C (only with `maps`); after rescaling they are s_c · u_c. */
  u: Float32Array | null;
}

/** What {@link exciteDigits} returns. */
export interface ExciteResult {
  count: number;
  /** Class probabilities, n × 10. */
  probs: Float32Array;
  blocks: BlockResult[];
}

function layer(model: tf.LayersModel, name: string): tf.layers.Layer {
  return model.getLayer(name);
}

/**
 * Runs `cnn-se` (or any network built by buildCnnSe) on `pixels` (n·784 values in [0, 1]) layer by layer and
 * returns each SE block's squeeze and excitations, the class probabilities and, with `maps`, the maps u before
 * rescaling. The probabilities equal model.predict's. One read-back; no tensor is left behind.
 */
export async function exciteDigits(model: tf.LayersModel, pixels: Float32Array, opts: { maps?: boolean } = {}): Promise<ExciteResult> {
  if (pixels.length === 0 || pixels.length % PIXELS !== 0) throw new RangeError(`exciteDigits: ${pixels.length} pixels is not a whole number of 28×28 digits`);
  const n = pixels.length / PIXELS;
  const maps = opts.maps ?? false;
  const parts: tf.Tensor[] = [];
  const out = tf.tidy(() => {
    let x: tf.Tensor = tf.tensor4d(pixels, [n, 28, 28, 1]);
    for (const b of SE_BLOCKS) {
      const u = layer(model, b.conv).apply(x) as tf.Tensor4D;
      const z = layer(model, `${b.name}_squeeze`).apply(u) as tf.Tensor2D;
      const s = layer(model, `${b.name}_expand`).apply(layer(model, `${b.name}_reduce`).apply(z)) as tf.Tensor2D;
      const scaled = tf.mul(u, s.reshape([n, 1, 1, b.channels]));
      parts.push(z, s);
      if (maps) parts.push(u);
      x = layer(model, b.name === 'se1' ? 'pool1' : 'pool2').apply(scaled) as tf.Tensor;
    }
    const probs = layer(model, 'output').apply(layer(model, 'flatten').apply(x)) as tf.Tensor;
    return tf.concat([probs.reshape([-1]), ...parts.map((p) => p.reshape([-1]))]);
  });
  const v = await readAndDispose(out);
  let at = 0;
  const take = (len: number) => v.slice(at, (at += len));
  const probs = take(n * 10);
  const blocks = SE_BLOCKS.map((info) => {
    const z = take(n * info.channels);
    const s = take(n * info.channels);
    const u = maps ? take(n * info.side * info.side * info.channels) : null;
    return { info, z, s, u };
  });
  return { count: n, probs, blocks };
}

/** Per class (10 rows), the mean excitation of each of C channels over the digits of that class, and the count. */
export interface ClassExcitations {
  channels: number;
  /** 10 × C, row k = the mean of s over the digits labelled k (0 where a class has no digit). */
  mean: Float32Array;
  /** The mean of s over all digits, C values. */
  overall: Float32Array;
  counts: Int32Array;
  /**
   * How much the excitations depend on the class: the mean over channels of the standard deviation, across the
   * 10 classes, of the class means (0: the block does the same to every class, the early layers of Hu et al.'s Fig. 6).
   */
  classSpread: number;
}

/** Averages excitations `s` (n × channels) by class `labels` (n values 0–9). */
export function classExcitations(s: ArrayLike<number>, labels: ArrayLike<number>, channels: number): ClassExcitations {
  const n = labels.length;
  if (s.length !== n * channels) throw new RangeError(`classExcitations: ${s.length} values for ${n} digits × ${channels} channels`);
  const mean = new Float32Array(10 * channels);
  const overall = new Float32Array(channels);
  const counts = new Int32Array(10);
  for (let i = 0; i < n; i++) {
    const k = labels[i];
    if (!(Number.isInteger(k) && k >= 0 && k < 10)) throw new RangeError(`classExcitations: label ${k} is not a class 0–9`);
    counts[k]++;
    for (let c = 0; c < channels; c++) {
      mean[k * channels + c] += s[i * channels + c];
      overall[c] += s[i * channels + c] / n;
    }
  }
  for (let k = 0; k < 10; k++) for (let c = 0; c < channels; c++) if (counts[k] > 0) mean[k * channels + c] /= counts[k];
  const present = Array.from(counts.keys()).filter((k) => counts[k] > 0);
  let spread = 0;
  for (let c = 0; c < channels; c++) {
    const m = present.reduce((a, k) => a + mean[k * channels + c], 0) / present.length;
    spread += Math.sqrt(present.reduce((a, k) => a + (mean[k * channels + c] - m) ** 2, 0) / present.length);
  }
  return { channels, mean, overall, counts, classSpread: spread / channels };
}

/** The first `n` digits of `data` through the network once: how many it gets right, and each block's class means. */
export async function classSurvey(model: tf.LayersModel, data: MnistArrays, n: number): Promise<{ n: number; correct: number; blocks: ClassExcitations[] }> {
  const m = Math.min(n, data.count);
  const res = await exciteDigits(model, floatImages(data, 0, m));
  const labels = data.labels.subarray(0, m);
  let correct = 0;
  for (let i = 0; i < m; i++) {
    const row = res.probs.subarray(i * 10, i * 10 + 10);
    if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
  }
  return { n: m, correct, blocks: res.blocks.map((b) => classExcitations(b.s, labels, b.info.channels)) };
}

/** Channel c of interleaved maps u (side² × C values) times s: that map after the block's rescaling. */
export function rescaledMap(u: ArrayLike<number>, s: number, c: number, channels: number): Float32Array {
  const out = new Float32Array(u.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = s * u[i * channels + c];
  return out;
}

/** Channel indices ordered by excitation, largest first (ties by index). */
export function rankChannels(s: ArrayLike<number>): number[] {
  return Array.from({ length: s.length }, (_, c) => c).sort((a, b) => s[b] - s[a] || a - b);
}

/** A stage of a network: `blocks` blocks whose output has `channels` channels on a `side`×`side` map. */
export interface Stage {
  blocks: number;
  channels: number;
  side: number;
}

/** ResNet-50's four stages at 224×224 (He et al. 2016, Table 1): 3, 4, 6, 3 bottleneck blocks of 256…2048 channels. */
export const RESNET50_STAGES: readonly Stage[] = [
  { blocks: 3, channels: 256, side: 56 },
  { blocks: 4, channels: 512, side: 28 },
  { blocks: 6, channels: 1024, side: 14 },
  { blocks: 3, channels: 2048, side: 7 },
];

/** ResNet-50's trainable parameters (torchvision) and its multiply-adds at 224×224 (the architecture explorer's count). */
export const RESNET50 = { params: 25_557_032, macs: 4_089_184_256 };

/** The hidden width of an SE block on C channels with reduction r: ⌊C / r⌋, at least 1. */
export function hiddenUnits(channels: number, r: number): number {
  if (!(Number.isFinite(r) && r >= 1)) throw new RangeError(`hiddenUnits: the reduction ratio must be ≥ 1, got ${r}`);
  return Math.max(1, Math.floor(channels / r));
}

/** The cost of SE blocks added to a network's stages, with reduction ratio r. */
export interface SeCost {
  /** The paper's approximation (2 / r) Σ N_s C_s² (weights of the two fully connected layers, no biases). */
  formula: number;
  /** Exact trainable parameters: per block 2·C·⌊C/r⌋ weights + ⌊C/r⌋ + C biases. */
  params: number;
  /** Multiply-adds per image: the two fully connected layers and the rescaling (one multiply per value of u). */
  macs: number;
}

/** The extra parameters and multiply-adds of one SE block after every block of every stage. */
export function seCost(stages: readonly Stage[], r: number): SeCost {
  let formula = 0;
  let params = 0;
  let macs = 0;
  for (const st of stages) {
    const h = hiddenUnits(st.channels, r);
    formula += (st.blocks * 2 * st.channels * st.channels) / r;
    params += st.blocks * (2 * st.channels * h + h + st.channels);
    macs += st.blocks * (2 * st.channels * h + st.side * st.side * st.channels);
  }
  return { formula, params, macs };
}

/** The stages of `cnn-se`: one SE block after conv1 (16 maps, 26×26) and one after conv2 (32 maps, 11×11). */
export const CNN_SE_STAGES: readonly Stage[] = SE_BLOCKS.map((b) => ({ blocks: 1, channels: b.channels, side: b.side }));
