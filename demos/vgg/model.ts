/**
 * VGG's argument for small filters, computed: the receptive field of a stack of convolutions and poolings (its
 * theoretical square, by the recurrence), its parameters, and its effective field, the gradient of one output unit
 * with respect to the input through real tfjs convolutions (Luo et al. 2016). Pure: no React, no DOM.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { gaussian, mulberry32 } from '../runtime/random';

/** One layer of a stack: a convolution (k×k, stride, dilation) or a k×k pooling with a stride. */
export interface LayerSpec {
  kind: 'conv' | 'pool';
  kernel: number;
  stride: number;
  dilation: number;
}

/** A stack described the way the demo's controls do: `layers` k×k convolutions, a 2×2 max-pool after every `poolEvery`. */
export interface StackSpec {
  kernel: number;
  layers: number;
  dilation: number;
  /** A 2×2, stride-2 pooling after every this many convolutions (0: none). */
  poolEvery: number;
  /** Double the dilation at every layer (1, 2, 4, …, times `dilation`), as context modules do. */
  doubling?: boolean;
}

export function buildStack({ kernel, layers, dilation, poolEvery, doubling = false }: StackSpec): LayerSpec[] {
  if (!(Number.isInteger(kernel) && kernel >= 1)) throw new RangeError(`kernel must be a whole number ≥ 1, got ${kernel}`);
  if (!(Number.isInteger(layers) && layers >= 1)) throw new RangeError(`layers must be a whole number ≥ 1, got ${layers}`);
  if (!(Number.isInteger(dilation) && dilation >= 1)) throw new RangeError(`dilation must be a whole number ≥ 1, got ${dilation}`);
  const out: LayerSpec[] = [];
  for (let i = 1; i <= layers; i++) {
    out.push({ kind: 'conv', kernel, stride: 1, dilation: doubling ? dilation * 2 ** (i - 1) : dilation });
    if (poolEvery > 0 && i % poolEvery === 0) out.push({ kind: 'pool', kernel: 2, stride: 2, dilation: 1 });
  }
  return out;
}

/** The stacks the demo names. */
export const PRESETS = {
  vgg: { label: 'VGG: three 3×3', layers: buildStack({ kernel: 3, layers: 3, dilation: 1, poolEvery: 0 }) },
  seven: { label: 'one 7×7', layers: buildStack({ kernel: 7, layers: 1, dilation: 1, poolEvery: 0 }) },
  vgg16: {
    label: 'VGG-16 up to conv5_3',
    layers: [2, 2, 3, 3, 3].flatMap((n, b) => buildStack({ kernel: 3, layers: n, dilation: 1, poolEvery: b < 4 ? n : 0 })),
  },
  dilated: { label: '3×3, dilation 1, 2, 4, 8', layers: buildStack({ kernel: 3, layers: 4, dilation: 1, poolEvery: 0, doubling: true }) },
} satisfies Record<string, { label: string; layers: LayerSpec[] }>;
export type PresetName = keyof typeof PRESETS;

export interface FieldStep {
  /** Side of the square of input pixels one unit after this layer sees. */
  field: number;
  /** Distance in input pixels between neighbouring units after this layer (the product of the strides). */
  jump: number;
}

/**
 * The receptive field after each layer, by the recurrence r_l = r_{l−1} + (k_l − 1)·d_l·j_{l−1}, j_l = j_{l−1}·s_l,
 * from r_0 = j_0 = 1: a layer widens the field by its kernel's extent measured in the spacing of its inputs.
 */
export function receptiveFields(layers: readonly LayerSpec[]): FieldStep[] {
  let field = 1;
  let jump = 1;
  return layers.map((l) => {
    field += (l.kernel - 1) * l.dilation * jump;
    jump *= l.stride;
    return { field, jump };
  });
}

/** Weights (and biases) of the stack's convolutions, each C → C channels: C²·k² + C per convolution; pooling has none. */
export function stackParams(layers: readonly LayerSpec[], channels: number, bias = true): number {
  return layers.filter((l) => l.kind === 'conv').reduce((n, l) => n + channels * channels * l.kernel * l.kernel + (bias ? channels : 0), 0);
}

/** Non-linearities (one ReLU per convolution) between the input and a unit after the stack. */
export const nonlinearities = (layers: readonly LayerSpec[]) => layers.filter((l) => l.kind === 'conv').length;

export interface EffectiveField {
  /** Mean |∂y/∂x| over the batch for the centre output unit y, side×side, row-major, scaled to a maximum of 1. */
  values: Float32Array;
  side: number;
  /** Top-left input pixel of the theoretical field of the centre unit, and its side (clipped to the input: 'same' padding). */
  box: { x: number; y: number; size: number };
  /** Fraction of the total gradient that falls in the centred square of about half the theoretical side… */
  centralShare: number;
  /** …whose side this is, in pixels. */
  centralSide: number;
}

export interface EffectiveOptions {
  /** 'uniform': every weight 1/(k²·C), no ReLU: the field's counting of paths. 'random': He-normal weights. */
  weights: 'uniform' | 'random';
  relu: boolean;
  channels: number;
  seed: number;
  /** Random inputs averaged over. */
  batch: number;
}

/** Multiply-adds of the forward pass, its gradient and the gradient's pass back (×3), for `channels` and `batch`. */
export function fieldCost(layers: readonly LayerSpec[], side: number, channels: number, batch: number): number {
  let s = side;
  let cin = 1;
  let macs = 0;
  for (const l of layers) {
    if (l.kind === 'conv') {
      const extent = (l.kernel - 1) * l.dilation + 1;
      s = Math.ceil(s / l.stride);
      macs += s * s * extent * extent * cin * channels;
      cin = channels;
    } else s = Math.ceil(s / l.stride);
  }
  return 3 * batch * macs;
}

/** Multiply-adds one measurement may take: a few tens of milliseconds on wasm, so a frame is never held for long. */
export const FIELD_BUDGET = 20e6;

/** The most channels and random inputs (of 4×4, 4×2, 2×2, 2×1, 1×1) whose measurement fits the budget. */
export function measureSize(layers: readonly LayerSpec[], side = inputSide(layers)): { channels: number; batch: number } {
  const options = [[4, 4], [4, 2], [2, 2], [2, 1], [1, 1]] as const;
  const fit = options.find(([c, b]) => fieldCost(layers, side, c, b) <= FIELD_BUDGET) ?? options[options.length - 1];
  return { channels: fit[0], batch: fit[1] };
}

/** Input side for a stack: the theoretical field plus a margin, odd, at most `max`. */
export function inputSide(layers: readonly LayerSpec[], max = 161): number {
  const f = receptiveFields(layers).at(-1)?.field ?? 1;
  const jump = receptiveFields(layers).at(-1)?.jump ?? 1;
  return Math.min(max, 2 * Math.floor((f + 2 * jump + 8) / 2) + 1);
}

/**
 * The effective receptive field: the stack built from real tf.conv2d / tf.maxPool layers ('same' padding, so the
 * centre unit sits over the centre pixel), the centre unit of its last map summed over channels, and the gradient
 * of that sum with respect to a batch of seeded N(0, 1) inputs, by tf.grad. One read-back; no tensor left behind.
 */
export async function effectiveField(layers: readonly LayerSpec[], options: EffectiveOptions, side = inputSide(layers)): Promise<EffectiveField> {
  const { weights, relu, channels: C, seed, batch } = options;
  if (layers.some((l) => l.kind === 'conv' && l.stride > 1 && l.dilation > 1)) throw new RangeError('a convolution cannot have both a stride and a dilation above 1');
  const rng = mulberry32(seed);
  const normal = (n: number, std: number) => Float32Array.from({ length: n }, () => std * gaussian(rng));
  const out = tf.tidy(() => {
    const filters = layers.map((l, i) => {
      if (l.kind !== 'conv') return null;
      const cin = i === 0 ? 1 : C;
      const n = l.kernel * l.kernel * cin * C;
      const values = weights === 'uniform' ? new Float32Array(n).fill(1 / (l.kernel * l.kernel * cin)) : normal(n, Math.sqrt(2 / (l.kernel * l.kernel * cin)));
      // tfjs has no gradient for dilated conv2d: the same convolution with the taps spread out in a larger kernel.
      const dense = dilate(values, l.kernel, l.dilation, cin, C);
      return tf.tensor4d(dense.values, [dense.side, dense.side, cin, C]);
    });
    const x0 = tf.tensor4d(normal(batch * side * side, 1), [batch, side, side, 1]);
    const f = (x: tf.Tensor): tf.Scalar => {
      let h = x as tf.Tensor4D;
      layers.forEach((l, i) => {
        if (l.kind === 'pool') h = tf.maxPool(h, l.kernel, l.stride, 'same');
        else {
          h = tf.conv2d(h, filters[i]!, l.stride, 'same');
          if (relu) h = tf.relu(h);
        }
      });
      const [, H, W] = h.shape;
      return tf.sum(tf.slice(h, [0, Math.floor((H - 1) / 2), Math.floor((W - 1) / 2), 0], [batch, 1, 1, -1]));
    };
    const g = tf.abs(tf.grad(f)(x0)).mean(0).reshape([side * side]);
    return tf.div(g, tf.add(tf.max(g), 1e-30));
  });
  const values = await readAndDispose(out);
  const [first, last] = fieldInterval(layers, side);
  const x = Math.max(0, first);
  const size = Math.min(side - 1, last) - x + 1;
  const c = (first + last) / 2;
  const q = (last - first + 1) / 4;
  let total = 0;
  let inner = 0;
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      const v = values[i * side + j];
      total += v;
      if (Math.abs(i - c) < q && Math.abs(j - c) < q) inner += v;
    }
  let centralSide = 0;
  for (let i = 0; i < side; i++) if (Math.abs(i - c) < q) centralSide++;
  return { values, side, box: { x, y: x, size }, centralShare: total > 0 ? inner / total : 0, centralSide };
}

/**
 * The input pixels [first, last] (unclipped) that the centre unit of a 'same'-padded stack reads, along one axis:
 * a stride-s layer's output i reads inputs s·i − pad … s·i − pad + extent − 1, with tfjs's 'same' padding (the
 * smaller half before), so a range of outputs [a, b] reads [s·a − pad, s·b − pad + extent − 1].
 */
export function fieldInterval(layers: readonly LayerSpec[], side: number): [number, number] {
  const sides = [side];
  for (const l of layers) sides.push(Math.ceil(sides.at(-1)! / l.stride));
  let a = Math.floor((sides.at(-1)! - 1) / 2);
  let b = a;
  for (let li = layers.length - 1; li >= 0; li--) {
    const l = layers[li];
    const extent = (l.kernel - 1) * l.dilation + 1;
    const pad = Math.floor(Math.max((sides[li + 1] - 1) * l.stride + extent - sides[li], 0) / 2);
    [a, b] = [l.stride * a - pad, l.stride * b - pad + extent - 1];
  }
  return [a, b];
}

/** A dilated k×k kernel as the equivalent dense kernel of side (k − 1)·d + 1, zeros between the taps. */
function dilate(values: Float32Array, k: number, d: number, cin: number, cout: number): { values: Float32Array; side: number } {
  if (d === 1) return { values, side: k };
  const side = (k - 1) * d + 1;
  const out = new Float32Array(side * side * cin * cout);
  const per = cin * cout;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out.set(values.subarray((i * k + j) * per, (i * k + j + 1) * per), (i * d * side + j * d) * per);
  return { values: out, side };
}
