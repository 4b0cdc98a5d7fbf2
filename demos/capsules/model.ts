/**
 * Capsules (Sabour, Frosst & Hinton 2017, arXiv 1710.09829): the squash non-linearity, routing by agreement
 * (their Procedure 1), the margin loss, a small CapsNet for MNIST (conv → primary capsules → 10 digit capsules)
 * and a toy parts-and-wholes layer that runs the same routing function. Pure: tfjs through ../runtime/tf only,
 * no React, no DOM; every tensor made here is freed before a function returns.
 */
import { tf, readAndDispose } from '../runtime/tf';
import { crc32 } from '../runtime/data/crc32';
import { mulberry32, gaussian } from '../runtime/random';

/** The margin loss's constants (Sabour et al. 2017, Eq. 4): m⁺, m⁻ and the down-weighting λ of absent classes. */
export const M_PLUS = 0.9;
export const M_MINUS = 0.1;
export const LAMBDA = 0.5;

/** ‖squash(s)‖ as a function of ‖s‖: ‖s‖² / (1 + ‖s‖²), in [0, 1), increasing. */
export function squashLength(norm: number): number {
  const n2 = norm * norm;
  return n2 / (1 + n2);
}

/**
 * squash(s) = ‖s‖²/(1 + ‖s‖²) · s/‖s‖ along `axis` (Eq. 1): keeps the direction, maps the length into [0, 1).
 * A small ε under the square root keeps the zero vector at zero (and its gradient finite).
 */
export function squash(s: tf.Tensor, axis = -1): tf.Tensor {
  return tf.tidy(() => {
    const n2 = tf.sum(tf.square(s), axis, true);
    const scale = tf.div(n2, tf.mul(tf.add(1, n2), tf.sqrt(tf.add(n2, 1e-9))));
    return tf.mul(s, scale);
  });
}

/** What {@link dynamicRouting} returns (tensors the caller owns). */
export interface Routed {
  /** The parents' output vectors v_j after the last iteration: [batch, parents, dims]. */
  v: tf.Tensor3D;
  /** The coupling coefficients c_ij used in the last iteration: [batch, children, parents]. */
  c: tf.Tensor3D;
  /** With `trace`: c of every iteration, [iterations, batch, children, parents]. */
  cTrace?: tf.Tensor4D;
  /** With `trace`: ‖v_j‖ of every iteration, [iterations, batch, parents]. */
  lengthTrace?: tf.Tensor3D;
}

/**
 * Routing by agreement (Procedure 1 of Sabour et al. 2017) on prediction vectors û_{j|i}, [batch, children i,
 * parents j, dims]: b_ij ← 0; then `iterations` times c_i ← softmax_j(b_i) (each child's couplings sum to 1 over
 * the parents), s_j ← Σ_i c_ij û_{j|i}, v_j ← squash(s_j), b_ij ← b_ij + û_{j|i}·v_j. Nothing here is a
 * learned parameter: b and c are recomputed from zero for every input. With `trace`, also returns c and ‖v‖ of
 * every iteration (iteration r of a run is exactly what an r-iteration run returns).
 */
export function dynamicRouting(uHat: tf.Tensor4D, iterations: number, trace = false): Routed {
  if (!(Number.isInteger(iterations) && iterations >= 1)) throw new Error(`routing needs a whole number of iterations ≥ 1, got ${iterations}`);
  return tf.tidy(() => {
    const [batch, children, parents] = uHat.shape;
    let b: tf.Tensor = tf.zeros([batch, children, parents]);
    let c: tf.Tensor = b;
    let v: tf.Tensor = b;
    const cs: tf.Tensor[] = [];
    const lens: tf.Tensor[] = [];
    for (let r = 0; r < iterations; r++) {
      c = tf.softmax(b, -1);
      const s = tf.sum(tf.mul(tf.expandDims(c, 3), uHat), 1); // [batch, parents, dims]
      v = squash(s);
      if (trace) {
        cs.push(c);
        lens.push(tf.norm(v, 'euclidean', -1));
      }
      if (r < iterations - 1) b = tf.add(b, tf.sum(tf.mul(uHat, tf.expandDims(v, 1)), 3));
    }
    const out: Routed = { v: v as tf.Tensor3D, c: c as tf.Tensor3D };
    if (trace) {
      out.cTrace = tf.stack(cs) as tf.Tensor4D;
      out.lengthTrace = tf.stack(lens) as tf.Tensor3D;
    }
    return out as unknown as tf.TensorContainerObject;
  }) as unknown as Routed;
}

/**
 * The margin loss (Eq. 4), summed over the classes and averaged over the batch: for each class k,
 * T_k max(0, m⁺ − ‖v_k‖)² + λ (1 − T_k) max(0, ‖v_k‖ − m⁻)², with T_k = 1 for the true class.
 * `lengths` [batch, classes], `targets` one-hot of the same shape.
 */
export function marginLoss(lengths: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const present = tf.mul(targets, tf.square(tf.relu(tf.sub(M_PLUS, lengths))));
    const absent = tf.mul(tf.mul(tf.sub(1, targets), LAMBDA), tf.square(tf.relu(tf.sub(lengths, M_MINUS))));
    return tf.mean(tf.sum(tf.add(present, absent), 1)) as tf.Scalar;
  });
}

// ---------------------------------------------------------------------------------------------------------
// A small CapsNet for MNIST: the paper's layout scaled down to ship in ~400 kB.

/** The shipped CapsNet's shape (the paper's in brackets). */
export const CAPSNET = {
  /** conv1: 9×9, stride 1, ReLU [256 channels]: 28 → 20. */
  conv1: 16,
  /** PrimaryCaps: 9×9, stride 2, `types` capsule types of `primaryDims` dimensions [32 of 8]: 20 → 6. */
  types: 6,
  primaryDims: 4,
  grid: 6,
  /** DigitCaps: 10 capsules of `digitDims` dimensions [16]. */
  classes: 10,
  digitDims: 8,
} as const;

/** Number of primary capsules: grid² · types (i = (row · grid + col) · types + type). */
export const PRIMARY_COUNT = CAPSNET.grid * CAPSNET.grid * CAPSNET.types;

/** The names and shapes of the CapsNet's weights, in the order of the shipped weights.bin. */
export const CAPSNET_WEIGHTS: readonly { name: string; shape: number[] }[] = [
  { name: 'conv1/kernel', shape: [9, 9, 1, CAPSNET.conv1] },
  { name: 'conv1/bias', shape: [CAPSNET.conv1] },
  { name: 'primary/kernel', shape: [9, 9, CAPSNET.conv1, CAPSNET.types * CAPSNET.primaryDims] },
  { name: 'primary/bias', shape: [CAPSNET.types * CAPSNET.primaryDims] },
  // W_ij for every primary capsule i and digit capsule j: û_{j|i} = W_ij u_i.
  { name: 'digit/W', shape: [PRIMARY_COUNT, CAPSNET.classes * CAPSNET.digitDims, CAPSNET.primaryDims] },
];

/** Total number of CapsNet weights. */
export const CAPSNET_PARAMS = CAPSNET_WEIGHTS.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);

/** A CapsNet's weights as tf variables (trainable), in {@link CAPSNET_WEIGHTS} order. */
export interface CapsNet {
  weights: tf.Variable[];
  dispose(): void;
}

function capsNetFrom(tensors: tf.Tensor[]): CapsNet {
  const weights = tensors.map((t, k) => {
    const v = tf.variable(t, true, `${CAPSNET_WEIGHTS[k].name}_${Math.random().toString(36).slice(2)}`);
    t.dispose();
    return v;
  });
  let disposed = false;
  return {
    weights,
    dispose() {
      if (disposed) return;
      disposed = true;
      weights.forEach((w) => w.dispose());
    },
  };
}

/**
 * A CapsNet with seeded initial weights: He-normal convolutions, zero biases and W_ij ~ N(0, 0.05²), small so
 * that at the start no digit capsule is long before any learning.
 */
export function initCapsNet(seed: number): CapsNet {
  const rng = mulberry32(seed);
  const tensors = CAPSNET_WEIGHTS.map(({ name, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (!name.endsWith('bias')) {
      const std = name === 'digit/W' ? 0.05 : Math.sqrt(2 / (shape[0] * shape[1] * shape[2]));
      for (let k = 0; k < n; k++) data[k] = std * gaussian(rng);
    }
    return tf.tensor(data, shape);
  });
  return capsNetFrom(tensors);
}

/** Rebuilds a CapsNet from the flat float32 weights of weights.bin ({@link CAPSNET_WEIGHTS} order). */
export function capsNetFromFlat(flat: Float32Array): CapsNet {
  if (flat.length !== CAPSNET_PARAMS) throw new Error(`a CapsNet has ${CAPSNET_PARAMS} weights, got ${flat.length}`);
  let at = 0;
  const tensors = CAPSNET_WEIGHTS.map(({ shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(flat.slice(at, at + n), shape);
    at += n;
    return t;
  });
  return capsNetFrom(tensors);
}

/** The weights as one flat float32 array, {@link CAPSNET_WEIGHTS} order (what weights.bin holds). */
export async function capsNetToFlat(net: CapsNet): Promise<Float32Array> {
  const parts = await Promise.all(net.weights.map((w) => w.data() as Promise<Float32Array>));
  const flat = new Float32Array(CAPSNET_PARAMS);
  let at = 0;
  for (const p of parts) {
    flat.set(p, at);
    at += p.length;
  }
  return flat;
}

/** Primary capsules u_i, squashed: [batch, PRIMARY_COUNT, primaryDims], from images [batch, 28, 28, 1]. */
export function primaryCapsules(net: CapsNet, images: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    const [k1, b1, k2, b2] = net.weights;
    const h = tf.relu(tf.add(tf.conv2d(images, k1 as tf.Tensor4D, 1, 'valid'), b1)) as tf.Tensor4D;
    const p = tf.add(tf.conv2d(h, k2 as tf.Tensor4D, 2, 'valid'), b2);
    return squash(tf.reshape(p, [images.shape[0], PRIMARY_COUNT, CAPSNET.primaryDims])) as tf.Tensor3D;
  });
}

/** Prediction vectors û_{j|i} = W_ij u_i: [batch, PRIMARY_COUNT, classes, digitDims]. */
export function predictions(net: CapsNet, u: tf.Tensor3D): tf.Tensor4D {
  return tf.tidy(() => {
    const W = net.weights[4] as tf.Tensor3D; // [I, J·D, d]
    const batch = u.shape[0];
    const ut = tf.transpose(u, [1, 2, 0]) as tf.Tensor3D; // [I, d, batch]
    const uh = tf.matMul(W, ut); // [I, J·D, batch]
    return tf.reshape(tf.transpose(uh, [2, 0, 1]), [batch, PRIMARY_COUNT, CAPSNET.classes, CAPSNET.digitDims]) as tf.Tensor4D;
  });
}

/** The digit capsules' lengths ‖v_j‖ after `iterations` of routing: [batch, classes]. */
export function capsLengths(net: CapsNet, images: tf.Tensor4D, iterations: number): tf.Tensor2D {
  return tf.tidy(() => {
    const routed = dynamicRouting(predictions(net, primaryCapsules(net, images)), iterations);
    return tf.norm(routed.v, 'euclidean', -1) as tf.Tensor2D;
  });
}

/** The CapsNet's margin loss on a batch (images [batch, 28, 28, 1], one-hot targets [batch, 10]). */
export function capsNetLoss(net: CapsNet, images: tf.Tensor4D, targets: tf.Tensor2D, iterations = 3): tf.Scalar {
  return tf.tidy(() => marginLoss(capsLengths(net, images, iterations), targets));
}

/**
 * Test accuracy: the predicted class is the longest digit capsule. `pixels` holds `count` images of 784 floats
 * in [0, 1]; scored in batches of `batch`.
 */
export async function capsAccuracy(net: CapsNet, pixels: Float32Array, labels: ArrayLike<number>, iterations: number, batch = 200): Promise<number> {
  const count = labels.length;
  let correct = 0;
  for (let s = 0; s < count; s += batch) {
    const n = Math.min(batch, count - s);
    const pred = await readAndDispose(
      tf.tidy(() => tf.argMax(capsLengths(net, tf.tensor4d(pixels.subarray(s * 784, (s + n) * 784), [n, 28, 28, 1]), iterations), 1)),
    );
    for (let k = 0; k < n; k++) if (pred[k] === labels[s + k]) correct++;
  }
  return count > 0 ? correct / count : 0;
}

/** One digit routed step by step: what the demo draws. */
export interface RoutingTrace {
  iterations: number;
  /** c_ij of iteration r at [(r · PRIMARY_COUNT + i) · 10 + j]. */
  c: Float32Array;
  /** ‖v_j‖ of iteration r at [r · 10 + j]. */
  lengths: Float32Array;
  /** ‖u_i‖, the primary capsules' activities. */
  primaryLengths: Float32Array;
}

/** Routes one digit (784 floats) through the CapsNet for `iterations`, keeping c and ‖v‖ of every iteration; one read-back. */
export async function traceDigit(net: CapsNet, pixels: Float32Array, iterations = 5): Promise<RoutingTrace> {
  if (pixels.length !== 784) throw new Error(`a digit is 28×28 = 784 pixels, got ${pixels.length}`);
  const flat = await readAndDispose(
    tf.tidy(() => {
      const u = primaryCapsules(net, tf.tensor4d(pixels, [1, 28, 28, 1]));
      const r = dynamicRouting(predictions(net, u), iterations, true);
      return tf.concat([tf.reshape(r.cTrace!, [-1]), tf.reshape(r.lengthTrace!, [-1]), tf.reshape(tf.norm(u, 'euclidean', -1), [-1])]);
    }),
  );
  const nc = iterations * PRIMARY_COUNT * CAPSNET.classes;
  const nl = iterations * CAPSNET.classes;
  return { iterations, c: flat.slice(0, nc), lengths: flat.slice(nc, nc + nl), primaryLengths: flat.slice(nc + nl) };
}

/**
 * Coupling of the primary-capsule grid to parent `j` at iteration `r` (0-based): per grid cell, the mean of
 * c_ij over the capsule types weighted by their activity ‖u_i‖ (an inactive capsule sends almost nothing,
 * whatever its c). Returns grid² values in [0, 1], row-major.
 */
export function couplingMap(t: RoutingTrace, r: number, j: number): Float32Array {
  const { grid, types, classes } = CAPSNET;
  const out = new Float32Array(grid * grid);
  for (let cell = 0; cell < grid * grid; cell++) {
    let num = 0;
    let den = 0;
    for (let k = 0; k < types; k++) {
      const i = cell * types + k;
      const a = t.primaryLengths[i];
      num += a * t.c[(r * PRIMARY_COUNT + i) * classes + j];
      den += a;
    }
    out[cell] = den > 0 ? num / den : 0;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Shipped weights: public/models/capsnet/{manifest.json, weights.bin}.

/** Name (and directory under /models/) of the shipped CapsNet. */
export const CAPSNET_NAME = 'capsnet';
/** Format tag of its manifest. */
export const CAPSNET_FORMAT = 'adl-capsnet';

/** manifest.json of the shipped CapsNet. */
export interface CapsNetManifest {
  format: typeof CAPSNET_FORMAT;
  name: string;
  title: string;
  params: number;
  weights: { name: string; shape: number[] }[];
  file: { path: string; bytes: number; crc32: number };
  training: Record<string, unknown>;
  /** Accuracy on the 10,000 MNIST test digits with 1 and 3 routing iterations. */
  test: { count: number; accuracy1: number; accuracy3: number };
}

/**
 * Loads the shipped CapsNet from `<baseUrl>capsnet/` (manifest.json, then weights.bin checked against the
 * manifest's size and CRC-32). In Node pass `fetch: fileFetch(publicModelsDir)` and baseUrl '/'. The caller
 * disposes the returned net.
 */
export async function loadCapsNet(opts: { baseUrl: string; fetch?: typeof fetch; signal?: AbortSignal }): Promise<{ net: CapsNet; manifest: CapsNetManifest }> {
  const fetchFn = opts.fetch ?? fetch;
  const dir = `${opts.baseUrl.endsWith('/') ? opts.baseUrl : opts.baseUrl + '/'}${CAPSNET_NAME}/`;
  const get = async (file: string) => {
    const res = await fetchFn(dir + file, { signal: opts.signal });
    if (!res.ok) throw new Error(`CapsNet: ${dir + file}: HTTP ${res.status}`);
    return res;
  };
  const manifest = (await (await get('manifest.json')).json()) as CapsNetManifest;
  if (manifest.format !== CAPSNET_FORMAT || manifest.params !== CAPSNET_PARAMS) {
    throw new Error(`CapsNet: ${dir}manifest.json is not a ${CAPSNET_PARAMS}-weight CapsNet manifest`);
  }
  const bytes = new Uint8Array(await (await get(manifest.file.path)).arrayBuffer());
  if (bytes.length !== manifest.file.bytes || crc32(bytes) !== manifest.file.crc32) {
    throw new Error(`CapsNet: ${dir + manifest.file.path} has the wrong size or checksum (truncated or corrupt)`);
  }
  return { net: capsNetFromFlat(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)), manifest };
}

// ---------------------------------------------------------------------------------------------------------
// Parts and wholes: two part capsules (a rectangle and a triangle) and two whole capsules (a house, a boat).

/** A pose in the plane: position (x right, y up, in units of the drawing) and orientation θ in degrees. */
export interface Pose {
  x: number;
  y: number;
  deg: number;
}

/** The part capsules, in order. */
export const PARTS = ['rectangle', 'triangle'] as const;
/** The whole capsules, in order. */
export const WHOLES = ['house', 'boat'] as const;

/**
 * Where each part sits in each whole's own frame (the fixed part–whole relation that W_ij encodes in a
 * trained CapsNet): house = the rectangle with the triangle on top as a roof; boat = the rectangle as a hull
 * with the triangle turned a quarter right above it as a sail.
 */
export const PART_IN_WHOLE: Record<(typeof WHOLES)[number], Pose[]> = {
  house: [
    { x: 0, y: -0.35, deg: 0 },
    { x: 0, y: 0.2, deg: 0 },
  ],
  boat: [
    { x: 0, y: -0.7, deg: 0 },
    { x: -0.1, y: 0.3, deg: -90 },
  ],
};

/** The poses of the two parts in a house standing at the origin: the panel's starting arrangement. */
export const HOUSE_PARTS: Pose[] = PART_IN_WHOLE.house.map((p) => ({ ...p }));

/** Length of every prediction vector ‖û_{j|i}‖: two agreeing parts then make their whole's ‖v‖ about 0.9 by iteration 3. */
export const PREDICTION_SCALE = 2;

/**
 * The pose code: a pose becomes a vector of Gaussian bumps on a grid of positions (17 × 17 over ±1.6, σ = 0.2)
 * and orientations (12 every 30°, σ = 20°), normalised. Two codes' dot product is near 1 for the same pose and
 * falls smoothly to 0 as the poses part (by ~0.6 in position or ~60° in angle): in this many dimensions, two
 * predictions agree only if the poses they predict agree, which is the point of routing by agreement.
 */
export const POSE_GRID = { half: 1.6, step: 0.2, sigma: 0.2, angles: 12, sigmaDeg: 20 } as const;
const POS_N = Math.round((2 * POSE_GRID.half) / POSE_GRID.step) + 1;
/** Dimensions of a pose code. */
export const POSE_DIMS = POS_N * POS_N * POSE_GRID.angles;

/** A pose as a vector of length {@link PREDICTION_SCALE} (see {@link POSE_GRID}). */
export function poseCode(pose: Pose): Float32Array {
  const { half, step, sigma, angles, sigmaDeg } = POSE_GRID;
  const bump = (d: number, s: number) => Math.exp(-(d * d) / (2 * s * s));
  const gx = Array.from({ length: POS_N }, (_, k) => bump(pose.x - (-half + k * step), sigma));
  const gy = Array.from({ length: POS_N }, (_, k) => bump(pose.y - (-half + k * step), sigma));
  const ga = Array.from({ length: angles }, (_, k) => {
    const d = ((((pose.deg - (k * 360) / angles) % 360) + 540) % 360) - 180;
    return bump(d, sigmaDeg);
  });
  const out = new Float32Array(POSE_DIMS);
  let n2 = 0;
  for (let a = 0; a < POS_N; a++)
    for (let b = 0; b < POS_N; b++)
      for (let c = 0; c < angles; c++) {
        const v = gx[a] * gy[b] * ga[c];
        out[(a * POS_N + b) * angles + c] = v;
        n2 += v * v;
      }
  const k = n2 > 0 ? PREDICTION_SCALE / Math.sqrt(n2) : 0;
  for (let i = 0; i < out.length; i++) out[i] *= k;
  return out;
}

/**
 * The whole's pose that part `i` at `pose` predicts for whole `j`: undo the part's place in the whole's frame
 * (what W_ij does in a trained CapsNet).
 */
export function predictWhole(pose: Pose, i: number, j: number): Pose {
  const rel = PART_IN_WHOLE[WHOLES[j]][i];
  const deg = pose.deg - rel.deg;
  const t = (deg * Math.PI) / 180;
  return { x: pose.x - (Math.cos(t) * rel.x - Math.sin(t) * rel.y), y: pose.y - (Math.sin(t) * rel.x + Math.cos(t) * rel.y), deg };
}

/** The prediction vectors û_{j|i} for parts at `poses`, the pose codes of the predicted wholes: [1, parts, wholes, POSE_DIMS] flat. */
export function partPredictions(poses: Pose[]): Float32Array {
  const out = new Float32Array(poses.length * WHOLES.length * POSE_DIMS);
  poses.forEach((pose, i) => WHOLES.forEach((_, j) => out.set(poseCode(predictWhole(pose, i, j)), (i * WHOLES.length + j) * POSE_DIMS)));
  return out;
}

/** Routing of the parts panel: c and ‖v‖ per iteration (same layout as {@link RoutingTrace}), and the agreement. */
export interface PartsRouting {
  iterations: number;
  /** c_ij of iteration r at [(r · parts + i) · wholes + j]. */
  c: Float32Array;
  /** ‖v_j‖ of iteration r at [r · wholes + j]. */
  lengths: Float32Array;
  /** The wholes' poses predicted by each part, [i][j]. */
  predicted: Pose[][];
}

/** Runs {@link dynamicRouting} on the parts' predictions for `iterations`; one read-back. */
export async function routeParts(poses: Pose[], iterations: number): Promise<PartsRouting> {
  const I = poses.length;
  const J = WHOLES.length;
  const flat = await readAndDispose(
    tf.tidy(() => {
      const r = dynamicRouting(tf.tensor4d(partPredictions(poses), [1, I, J, POSE_DIMS]), iterations, true);
      return tf.concat([tf.reshape(r.cTrace!, [-1]), tf.reshape(r.lengthTrace!, [-1])]);
    }),
  );
  return {
    iterations,
    c: flat.slice(0, iterations * I * J),
    lengths: flat.slice(iterations * I * J),
    predicted: poses.map((p, i) => WHOLES.map((_, j) => predictWhole(p, i, j))),
  };
}

/** Index of the largest value. */
export function argMax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < xs.length; k++) if (xs[k] > xs[best]) best = k;
  return best;
}
