/**
 * MobileNetV2's two ideas made measurable. (1) The paper's Figure 1 experiment: a 2-D spiral embedded into n
 * dimensions by a random matrix T, passed through ReLU, and brought back to the plane — once with T's pseudo-inverse
 * as the paper does, and once exactly, from the units that stayed active. A point survives ReLU only if at least
 * two of its n coordinates stay positive; for Gaussian T each is positive with probability ½ independently, so a
 * point is lost with probability (n + 1)/2ⁿ. (2) The cost of an inverted residual block against MobileNet V1's
 * separable block.
 */
import { gaussian, mulberry32 } from '../runtime/random';
import { readAndDispose, tf } from '../runtime/tf';

/** The dimensions of the paper's Figure 1. */
export const DIMENSIONS = [2, 3, 5, 15, 30] as const;

export type Activation = 'relu' | 'linear';

/** `count` points of a spiral of `turns` turns around the origin, radius growing from 0.1 to 1: [x0, y0, x1, y1, …]. */
export function spiral(count: number, turns = 2): Float32Array {
  const out = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const t = count === 1 ? 0 : i / (count - 1);
    const r = 0.1 + 0.9 * t;
    const a = 2 * Math.PI * turns * t;
    out[2 * i] = r * Math.cos(a);
    out[2 * i + 1] = r * Math.sin(a);
  }
  return out;
}

/** An n×2 matrix with independent N(0, 1) entries, row-major, from a seed. */
export function randomEmbedding(n: number, seed: number): Float32Array {
  const rng = mulberry32(seed * 7919 + n);
  return Float32Array.from({ length: 2 * n }, () => gaussian(rng));
}

/** Probability that ReLU(Tx) keeps fewer than two positive coordinates, for Gaussian T: (n + 1)/2ⁿ. */
export function lostProbability(n: number): number {
  return (n + 1) / 2 ** n;
}

export interface RoundTrip {
  n: number;
  /** T⁺·act(T·x) per point, as the paper's figure: [x, y, …]. */
  pseudo: Float32Array;
  /** x recovered from the active coordinates alone (least squares on them); NaN where fewer than two are active. */
  exact: Float32Array;
  /** Active coordinates per point. */
  active: Float32Array;
  /** Share of points with fewer than two active coordinates: their position cannot be recovered. */
  lost: number;
  /** Mean distance of `exact` from x over the recovered points (≈ 0: what survives is exact). */
  exactError: number;
}

/**
 * The spiral through act(T·x) for every n in `dims`, on the current tfjs backend, in one read-back. T for dimension
 * n comes from randomEmbedding(n, seed).
 */
export async function roundTrips(points: Float32Array, dims: readonly number[], seed: number, activation: Activation): Promise<RoundTrip[]> {
  const P = points.length / 2;
  const mats = dims.map((n) => randomEmbedding(n, seed));
  const out = tf.tidy(() => {
    const X = tf.tensor2d(points, [P, 2]);
    const parts = dims.map((n, k) => {
      const T = tf.tensor2d(mats[k], [n, 2]);
      const Y0 = tf.matMul(X, T, false, true); // P×n: each point embedded
      const Y = activation === 'relu' ? tf.relu(Y0) : Y0;
      const M = activation === 'relu' ? tf.cast(tf.greater(Y0, 0), 'float32') : tf.onesLike(Y0);
      // Pseudo-inverse (TᵀT)⁻¹Tᵀ applied to every row: the paper's way back.
      const G = tf.matMul(T, T, true, false) as tf.Tensor2D; // 2×2
      const pseudo = tf.matMul(tf.matMul(Y, T), inverse2x2(G));
      // Least squares on the active rows only, per point: (T_AᵀT_A) x = T_Aᵀ y_A, a 2×2 system each.
      const t1 = tf.slice(T, [0, 0], [n, 1]);
      const t2 = tf.slice(T, [0, 1], [n, 1]);
      const outer = tf.concat([tf.mul(t1, t1), tf.mul(t1, t2), tf.mul(t2, t2)], 1); // n×3
      const g = tf.matMul(M, outer); // P×3: g11, g12, g22
      const b = tf.matMul(tf.mul(M, Y), T); // P×2
      const [g11, g12, g22] = tf.split(g, 3, 1);
      const [b1, b2] = tf.split(b, 2, 1);
      const det = tf.sub(tf.mul(g11, g22), tf.mul(g12, g12));
      const count = tf.sum(M, 1, true);
      const ok = tf.greaterEqual(count, 2);
      const safe = tf.where(ok, det, tf.onesLike(det));
      const ex = tf.div(tf.sub(tf.mul(g22, b1), tf.mul(g12, b2)), safe);
      const ey = tf.div(tf.sub(tf.mul(g11, b2), tf.mul(g12, b1)), safe);
      const nan = tf.fill(ex.shape, NaN);
      const exact = tf.concat([tf.where(ok, ex, nan), tf.where(ok, ey, nan)], 1);
      return tf.concat([pseudo, exact, count], 1); // P×5
    });
    return tf.stack(parts); // dims × P × 5
  });
  const v = await readAndDispose(out);
  return dims.map((n, k) => {
    const pseudo = new Float32Array(2 * P);
    const exact = new Float32Array(2 * P);
    const active = new Float32Array(P);
    let lost = 0;
    let err = 0;
    for (let i = 0; i < P; i++) {
      const o = (k * P + i) * 5;
      pseudo[2 * i] = v[o];
      pseudo[2 * i + 1] = v[o + 1];
      exact[2 * i] = v[o + 2];
      exact[2 * i + 1] = v[o + 3];
      active[i] = v[o + 4];
      if (active[i] < 2) lost++;
      else err += Math.hypot(v[o + 2] - points[2 * i], v[o + 3] - points[2 * i + 1]);
    }
    return { n, pseudo, exact, active, lost: lost / P, exactError: P > lost ? err / (P - lost) : 0 };
  });
}

/** The inverse of a 2×2 tensor. */
function inverse2x2(G: tf.Tensor2D): tf.Tensor2D {
  const [a, b, c, d] = [0, 1, 2, 3].map((i) => tf.slice(tf.reshape(G, [4]), [i], [1]));
  const det = tf.sub(tf.mul(a, d), tf.mul(b, c));
  return tf.reshape(tf.div(tf.concat([d, tf.neg(b), tf.neg(c), a]), det), [2, 2]);
}

export interface BlockShape {
  /** Side of the square input feature map. */
  h: number;
  /** Input channels d′ and output channels d″. */
  cin: number;
  cout: number;
  /** Expansion factor t. */
  t: number;
  /** Depthwise kernel side k. */
  k: number;
}

export interface BlockCost {
  params: number;
  macs: number;
  /** Channels of the widest tensor inside the block, and of the tensors between blocks. */
  inner: number;
}

/**
 * An inverted residual block at stride 1 (the paper's Table 1): 1×1 expansion d′ → t·d′ with ReLU6, k×k depthwise
 * with ReLU6, 1×1 linear projection to d″. Multiply-adds h·h·d′·t·(d′ + k² + d″), biases and batch norm left out.
 */
export function invertedResidualCost({ h, cin, cout, t, k }: BlockShape): BlockCost {
  const mid = t * cin;
  const params = cin * mid + k * k * mid + mid * cout;
  return { params, macs: h * h * params, inner: mid };
}

/** MobileNet V1's depthwise separable block with the same input and output: k×k depthwise on d′, then 1×1 to d″. */
export function separableCost({ h, cin, cout, k }: BlockShape): BlockCost {
  const params = k * k * cin + cin * cout;
  return { params, macs: h * h * params, inner: Math.max(cin, cout) };
}

/** The paper's Table 4 (ImageNet top-1, parameters, multiply-adds, Google Pixel 1 CPU latency). */
export const PAPER_TABLE4 = [
  { name: 'MobileNetV1', top1: 70.6, paramsM: 4.2, macsM: 575, ms: 113 },
  { name: 'ShuffleNet (1.5)', top1: 71.5, paramsM: 3.4, macsM: 292, ms: null },
  { name: 'ShuffleNet (x2)', top1: 73.7, paramsM: 5.4, macsM: 524, ms: null },
  { name: 'NasNet-A', top1: 74.0, paramsM: 5.3, macsM: 564, ms: 183 },
  { name: 'MobileNetV2', top1: 72.0, paramsM: 3.4, macsM: 300, ms: 75 },
  { name: 'MobileNetV2 (1.4)', top1: 74.7, paramsM: 6.9, macsM: 585, ms: 143 },
] as const;
