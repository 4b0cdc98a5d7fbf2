/**
 * SqueezeNet's fire module and its metaparameters (Iandola et al. 2016). A fire module squeezes its input to s
 * channels with 1×1 filters, then expands to e₁ 1×1 and e₃ 3×3 filters whose outputs are concatenated. The network
 * (v1.0) is a 7×7 convolution, eight fire modules, and a 1×1 classifier convolution; its fire modules are set by
 * base_e, incr_e, freq, pct₃ₓ₃ and the squeeze ratio SR. Counts are PyTorch's (weights and biases), multiply-adds
 * are weights only, at batch 1, so they match torchvision's squeezenet1_0 at the paper's defaults.
 */
import { tf } from '../runtime/tf';

export interface Fire {
  /** Input channels. */
  cin: number;
  s: number;
  e1: number;
  e3: number;
}

export interface Cost {
  params: number;
  macs: number;
}

/** One fire module on an h×h map (padding keeps the side). */
export function fireCost({ cin, s, e1, e3 }: Fire, h: number): Cost {
  const params = cin * s + s + s * e1 + e1 + 9 * s * e3 + e3;
  const macs = h * h * (cin * s + s * e1 + 9 * s * e3);
  return { params, macs };
}

/** A plain 3×3 convolution from cin to the fire module's e₁ + e₃ outputs: what the module replaces. */
export function plainCost({ cin, e1, e3 }: Fire, h: number): Cost {
  const cout = e1 + e3;
  return { params: 9 * cin * cout + cout, macs: h * h * 9 * cin * cout };
}

export interface Metaparameters {
  baseE: number;
  incrE: number;
  freq: number;
  /** Share of the expand filters that are 3×3. */
  pct3x3: number;
  /** Squeeze ratio s / e. */
  sr: number;
}

/** The paper's SqueezeNet: base_e = 128, incr_e = 128, freq = 2, pct₃ₓ₃ = 0.5, SR = 0.125. */
export const SQUEEZENET: Metaparameters = { baseE: 128, incrE: 128, freq: 2, pct3x3: 0.5, sr: 0.125 };

/** The eight fire modules (fire2…fire9) for metaparameters m: e_i = base_e + incr_e·⌊i/freq⌋, s_i = SR·e_i. */
export function fireModules(m: Metaparameters): Fire[] {
  const out: Fire[] = [];
  let cin = 96;
  for (let i = 0; i < 8; i++) {
    const e = m.baseE + m.incrE * Math.floor(i / m.freq);
    const e3 = Math.round(m.pct3x3 * e);
    const f = { cin, s: Math.max(1, Math.round(m.sr * e)), e1: e - e3, e3 };
    out.push(f);
    cin = f.e1 + f.e3;
  }
  return out;
}

/** Output side of a max pool 3×3 / 2 with ceil mode, as torchvision's SqueezeNet uses. */
const pool = (h: number) => Math.ceil((h - 3) / 2) + 1;

export interface NetCost extends Cost {
  /** Per layer: name, side of its output map, cost. */
  layers: { name: string; side: number; params: number; macs: number }[];
}

/** SqueezeNet v1.0 at an r×r RGB input, 1000 classes: conv1 7×7/2, pools after fire4 and fire8, conv10 1×1. */
export function squeezenetCost(m: Metaparameters = SQUEEZENET, r = 224, classes = 1000): NetCost {
  const fires = fireModules(m);
  const layers: NetCost['layers'] = [];
  let h = Math.floor((r - 7) / 2) + 1;
  layers.push({ name: 'conv1', side: h, params: 3 * 49 * 96 + 96, macs: h * h * 3 * 49 * 96 });
  h = pool(h);
  fires.forEach((f, i) => {
    layers.push({ name: `fire${i + 2}`, side: h, ...fireCost(f, h) });
    if (i === 2 || i === 6) h = pool(h);
  });
  const last = fires[7].e1 + fires[7].e3;
  layers.push({ name: 'conv10', side: h, params: last * classes + classes, macs: h * h * last * classes });
  return { layers, params: layers.reduce((a, l) => a + l.params, 0), macs: layers.reduce((a, l) => a + l.macs, 0) };
}

/** Size of the weights at 32 bits each, in binary megabytes (2²⁰ bytes): the unit of the paper's model sizes, whose
 * 4.8 MB for SqueezeNet is 1,248,424 × 4 bytes. */
export const megabytes = (params: number) => (4 * params) / 2 ** 20;

/** AlexNet as the paper compares against it (its Table 2): 240 MB, 57.2 % top-1, 80.3 % top-5. */
export const ALEXNET = { mb: 240, top1: 57.2, top5: 80.3 };

/** The paper's Table 2 rows for SqueezeNet: uncompressed and with Deep Compression. */
export const PAPER_SQUEEZENET = [
  { name: 'SqueezeNet', mb: 4.8, top1: 57.5, top5: 80.3 },
  { name: 'SqueezeNet + Deep Compression (6-bit)', mb: 0.47, top1: 57.5, top5: 80.3 },
] as const;

/**
 * The same network as a real tf.LayersModel (fire modules of tf.layers, concatenated along channels) for an r×r
 * input: its trainable parameters equal squeezenetCost's.
 */
export function buildSqueezenet(m: Metaparameters = SQUEEZENET, r = 224, classes = 1000): tf.LayersModel {
  const input = tf.input({ shape: [r, r, 3] });
  const conv = (x: tf.SymbolicTensor, filters: number, kernel: number, opts: { strides?: number; padding?: 'same' | 'valid'; name: string }) =>
    tf.layers.conv2d({ filters, kernelSize: kernel, strides: opts.strides ?? 1, padding: opts.padding ?? 'valid', activation: 'relu', name: opts.name }).apply(x) as tf.SymbolicTensor;
  const maxPool = (x: tf.SymbolicTensor, name: string) => {
    // ceil-mode pooling: pad the right and bottom by one when the map has an even side.
    const side = x.shape[1]!;
    const padded = side % 2 === 0 ? (tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: `${name}_pad` }).apply(x) as tf.SymbolicTensor) : x;
    return tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name }).apply(padded) as tf.SymbolicTensor;
  };
  let x = conv(input, 96, 7, { strides: 2, name: 'conv1' });
  x = maxPool(x, 'pool1');
  fireModules(m).forEach((f, i) => {
    const n = `fire${i + 2}`;
    const sq = conv(x, f.s, 1, { name: `${n}_squeeze` });
    const a = conv(sq, f.e1, 1, { name: `${n}_expand1x1` });
    const b = conv(sq, f.e3, 3, { padding: 'same', name: `${n}_expand3x3` });
    x = tf.layers.concatenate({ axis: -1, name: `${n}_concat` }).apply([a, b]) as tf.SymbolicTensor;
    if (i === 2 || i === 6) x = maxPool(x, `pool${i + 2}`);
  });
  x = conv(x, classes, 1, { name: 'conv10' });
  const out = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

export interface LiveCheck {
  /** Trainable parameters of the built tf model. */
  params: number;
  /** Shape of the output for one r×r image. */
  output: number[];
  /** Milliseconds to build (initialising every weight) and to run one forward pass with its read-back. */
  buildMs: number;
  forwardMs: number;
}

/**
 * Builds the network for m as a real tf model, runs one r×r image (a smooth seeded pattern) through it, and
 * disposes everything. Its weights are untrained: this checks the counts and times the kernels, it classifies
 * nothing.
 */
export async function liveCheck(m: Metaparameters, r = 64): Promise<LiveCheck> {
  const t0 = performance.now();
  const model = buildSqueezenet(m, r);
  const t1 = performance.now();
  try {
    const x = tf.tidy(() => tf.sin(tf.mul(tf.range(0, r * r * 3), 0.01)).reshape([1, r, r, 3]));
    const y = model.predict(x) as tf.Tensor;
    const output = y.shape.slice();
    await y.data();
    x.dispose();
    y.dispose();
    return { params: model.countParams(), output, buildMs: t1 - t0, forwardMs: performance.now() - t1 };
  } finally {
    model.dispose();
  }
}
