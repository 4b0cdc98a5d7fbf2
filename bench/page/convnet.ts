/**
 * The in-browser half of the "training speed vs ConvNetJS" figure (`npm run bench`), bundled by esbuild
 * into out/__bench/ and driven by bench/convnet.ts through `window.__bench`. ConvNetJS and our tfjs
 * runtime train ConvNetJS's own MNIST demo network on the same real MNIST digits (centre 24×24 crops,
 * the same order) in the same page; each call trains for a time budget and reports examples per second.
 */
import convnetjs, { type Net, type Trainer, type Vol } from 'convnetjs';
import { initBackend, tf, type BackendName } from '../../demos/runtime/tf';
import { loadMnist } from '../../demos/runtime/data/loader';
import { gaussian, mulberry32, shuffleInPlace } from '../../demos/runtime/random';
import { createFlatTrainer, type ParamInit } from '../../demos/runtime/train';

/** ConvNetJS's MNIST demo: batch 20, adadelta (ρ 0.95, ε 1e-6), L2 decay 0.001 on the weights. */
export const BATCH = 20;
const L2_DECAY = 0.001;
const RHO = 0.95;
const EPS = 1e-6;
const SIDE = 24;
const PIXELS = SIDE * SIDE;

/** The digits both trainers see: centre crops in [0, 1], in one shuffled order. */
interface Pool {
  n: number;
  x: Float32Array;
  labels: Int32Array;
  oneHot: Float32Array;
  vols: Vol[];
}

let pool: Pool | null = null;

/** The GPU WebGL reports: in headless Chromium without a GPU, SwiftShader (a CPU rasteriser). */
function webglRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL 2';
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/**
 * Loads `count` training digits and prepares them for both libraries (not timed). WASM starts as the
 * site starts it (initBackend, first touch): with threads on a cross-origin-isolated page with enough
 * cores, single-threaded SIMD otherwise.
 */
async function setup(count: number): Promise<{ digits: number; backends: Record<string, boolean>; wasm: string; threads: number; simd: boolean; webglRenderer: string }> {
  const data = await loadMnist({ split: 'train', count, baseUrl: '/data/mnist/' });
  const order = shuffleInPlace(Int32Array.from({ length: count }, (_, i) => i), mulberry32(7)) as Int32Array;
  const off = (data.rows - SIDE) / 2;
  const x = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  const oneHot = new Float32Array(count * 10);
  const vols: Vol[] = [];
  for (let i = 0; i < count; i++) {
    const src = order[i];
    const v = new convnetjs.Vol(SIDE, SIDE, 1, 0);
    for (let r = 0; r < SIDE; r++) {
      for (let c = 0; c < SIDE; c++) {
        const p = data.images[src * data.rows * data.cols + (r + off) * data.cols + c + off] / 255;
        x[i * PIXELS + r * SIDE + c] = p;
        v.w[r * SIDE + c] = p;
      }
    }
    labels[i] = data.labels[src];
    oneHot[i * 10 + labels[i]] = 1;
    vols.push(v);
  }
  pool = { n: count, x, labels, oneHot, vols };
  const backends: Record<string, boolean> = {};
  for (const b of ['wasm', 'cpu', 'webgl'] as BackendName[]) {
    try {
      backends[b] = (await initBackend(b)).backend === b;
    } catch {
      backends[b] = false;
    }
  }
  const wasm = await initBackend('wasm');
  return {
    digits: count,
    backends,
    wasm: wasm.detail,
    threads: wasm.threads,
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    webglRenderer: webglRenderer(),
  };
}

function needPool(): Pool {
  if (!pool) throw new Error('call setup() first');
  return pool;
}

/** What one timed run returns. */
export interface RunResult {
  examples: number;
  ms: number;
  examplesPerSecond: number;
  /** Mean training loss over the last read-back window (sanity: it must fall from ln 10 ≈ 2.3). */
  loss: number;
}

let cnn: { net: Net; trainer: Trainer; next: number } | null = null;

/** ConvNetJS trains one example at a time (updating every 20) for about `ms` milliseconds. */
function runConvnet(ms: number): RunResult {
  const p = needPool();
  if (!cnn) {
    const net = new convnetjs.Net();
    net.makeLayers([
      { type: 'input', out_sx: 24, out_sy: 24, out_depth: 1 },
      { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 3, stride: 3 },
      { type: 'softmax', num_classes: 10 },
    ]);
    const trainer = new convnetjs.Trainer(net, { method: 'adadelta', batch_size: BATCH, l2_decay: L2_DECAY });
    cnn = { net, trainer, next: 0 };
  }
  const c = cnn;
  let examples = 0;
  let lossSum = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    for (let i = 0; i < BATCH; i++) {
      const k = c.next;
      c.next = (c.next + 1) % p.n;
      lossSum += c.trainer.train(p.vols[k], p.labels[k]).cost_loss;
    }
    examples += BATCH;
    t = performance.now();
  } while (t - t0 < ms);
  return { examples, ms: t - t0, examplesPerSecond: (examples * 1000) / (t - t0), loss: lossSum / examples };
}

/** A tfjs trainer: steps without read-back; `meanLoss` reads the mean since the last call once. */
interface TfTrainer {
  step(x: tf.Tensor4D, y: tf.Tensor2D): void;
  meanLoss(): Promise<number>;
  dispose(): void;
}

/** Wraps a tfjs optimizer's minimize so that it, too, sums losses on the device between read-backs. */
function minimizing(opt: tf.Optimizer, loss: (x: tf.Tensor4D, y: tf.Tensor2D) => tf.Scalar, dispose: () => void): TfTrainer {
  let sum: tf.Scalar = tf.scalar(0);
  let n = 0;
  return {
    step: (x, y) => {
      const l = opt.minimize(() => loss(x, y), true)!;
      const s = tf.add(sum, l) as tf.Scalar;
      tf.dispose([l, sum]);
      sum = s;
      n++;
    },
    meanLoss: async () => {
      const v = (await sum.data())[0] / n;
      sum.dispose();
      sum = tf.scalar(0);
      n = 0;
      return v;
    },
    dispose: () => {
      sum.dispose();
      opt.dispose();
      dispose();
    },
  };
}

/** Baseline: tf.layers as most tfjs code would write it, tf.train.adadelta, optimizer.minimize. */
function layersTrainer(): TfTrainer {
  const l2 = tf.regularizers.l2({ l2: L2_DECAY / BATCH / 2 });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [24, 24, 1], filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', kernelRegularizer: l2 }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'same', activation: 'relu', kernelRegularizer: l2 }),
      tf.layers.maxPooling2d({ poolSize: 3, strides: 3 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelRegularizer: l2 }),
    ],
  });
  const loss = (x: tf.Tensor4D, y: tf.Tensor2D) => {
    const logits = model.apply(x, { training: true }) as tf.Tensor;
    const reg = (model.losses as unknown as (() => tf.Scalar)[]).map((f) => f());
    return tf.addN([tf.losses.softmaxCrossEntropy(y, logits), ...reg]) as tf.Scalar;
  };
  return minimizing(tf.train.adadelta(1, RHO, EPS), loss, () => model.dispose());
}

type ParamName = 'w1' | 'b1' | 'w2' | 'b2' | 'w3' | 'b3';

/** ConvNetJS's initialisation: weights N(0, 1/fan-in), biases 0.1 before a ReLU (else 0); seeded. */
function convnetInit(seed: number): ParamInit<ParamName>[] {
  const rng = mulberry32(seed);
  const normal = (n: number, fanIn: number) => Float32Array.from({ length: n }, () => gaussian(rng) * Math.sqrt(1 / fanIn));
  // ConvNetJS adds l2·w to the gradient summed over the batch, then divides by the batch size.
  const l2 = L2_DECAY / BATCH;
  return [
    { name: 'w1', shape: [5, 5, 1, 8], values: normal(200, 25), l2 },
    { name: 'b1', shape: [8], values: new Float32Array(8).fill(0.1) },
    { name: 'w2', shape: [5, 5, 8, 16], values: normal(3200, 200), l2 },
    { name: 'b2', shape: [16], values: new Float32Array(16).fill(0.1) },
    { name: 'w3', shape: [256, 10], values: normal(2560, 256), l2 },
    { name: 'b3', shape: [10], values: new Float32Array(10) },
  ];
}

/** The network's mean cross-entropy on a batch: fused conv+bias+ReLU, pools, fused dense. */
function convnetLoss(p: Record<ParamName, tf.Tensor>, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  const h1 = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: p.w1 as tf.Tensor4D, bias: p.b1, strides: 1, pad: 'same', activation: 'relu' });
  const h2 = tf.fused.conv2d({ x: tf.maxPool(h1, 2, 2, 'valid'), filter: p.w2 as tf.Tensor4D, bias: p.b2, strides: 1, pad: 'same', activation: 'relu' });
  const flat = tf.reshape(tf.maxPool(h2, 3, 3, 'valid'), [x.shape[0], 256]) as tf.Tensor2D;
  const logits = tf.fused.matMul({ a: flat, b: p.w3 as tf.Tensor2D, bias: p.b3 });
  return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

/** Same network and loss as ours, one tf.variable per tensor, tfjs's own tf.train.adadelta. */
function varsTrainer(): TfTrainer {
  const init = convnetInit(11);
  const vars = Object.fromEntries(init.map((p) => [p.name, tf.variable(tf.tensor(p.values, p.shape))])) as Record<ParamName, tf.Variable>;
  const decayed = init.filter((p) => p.l2).map((p) => vars[p.name]);
  const loss = (x: tf.Tensor4D, y: tf.Tensor2D) => {
    const reg = tf.mul(L2_DECAY / BATCH / 2, tf.addN(decayed.map((w) => tf.sum(tf.square(w)))));
    return tf.add(convnetLoss(vars, x, y), reg) as tf.Scalar;
  };
  return minimizing(tf.train.adadelta(1, RHO, EPS), loss, () => tf.dispose(Object.values(vars)));
}

/** Ours: the runtime's flat trainer (demos/runtime/train.ts) with ConvNetJS's adadelta and L2 decay. */
function flatTrainer(): TfTrainer {
  return createFlatTrainer(convnetInit(11), (p, x, y) => convnetLoss(p, x, y), { kind: 'adadelta', rho: RHO, eps: EPS });
}

const VARIANTS = { layers: layersTrainer, vars: varsTrainer, flat: flatTrainer } as const;
type Variant = keyof typeof VARIANTS;

/** Our runtime on `backend` trains for about `ms` ms, reading the loss back every `readEvery` steps. */
async function runTfjs(backend: BackendName, ms: number, variant: Variant = 'flat', readEvery = 10): Promise<RunResult> {
  const p = needPool();
  const choice = await initBackend(backend);
  if (choice.backend !== backend) throw new Error(`${backend} unavailable: ${choice.notes.join('; ')}`);
  const trainer = VARIANTS[variant]();
  const batches = Math.floor(p.n / BATCH);
  let next = 0;
  const steps = async (k: number): Promise<number> => {
    for (let i = 0; i < k; i++) {
      const b = next;
      next = (next + 1) % batches;
      const x = tf.tensor4d(p.x.subarray(b * BATCH * PIXELS, (b + 1) * BATCH * PIXELS), [BATCH, SIDE, SIDE, 1]);
      const y = tf.tensor2d(p.oneHot.subarray(b * BATCH * 10, (b + 1) * BATCH * 10), [BATCH, 10]);
      trainer.step(x, y);
      tf.dispose([x, y]);
    }
    return trainer.meanLoss(); // the one read-back: it also waits for the device to finish
  };
  try {
    await steps(3); // compile shaders, warm caches
    let examples = 0;
    let loss = NaN;
    const t0 = performance.now();
    let t = t0;
    do {
      loss = await steps(readEvery);
      examples += readEvery * BATCH;
      t = performance.now();
    } while (t - t0 < ms);
    return { examples, ms: t - t0, examplesPerSecond: (examples * 1000) / (t - t0), loss };
  } finally {
    trainer.dispose();
  }
}

/** Kernels one training step dispatches, by name, and the total (tf.profile on `backend`). */
async function profileStep(backend: BackendName, variant: Variant = 'flat'): Promise<{ kernels: number; byName: Record<string, number>; kernelMs: Record<string, number> }> {
  const p = needPool();
  await initBackend(backend);
  const trainer = VARIANTS[variant]();
  try {
    const x = tf.tensor4d(p.x.subarray(0, BATCH * PIXELS), [BATCH, SIDE, SIDE, 1]);
    const y = tf.tensor2d(p.oneHot.subarray(0, BATCH * 10), [BATCH, 10]);
    trainer.step(x, y); // warm
    await trainer.meanLoss();
    const info = await tf.profile(() => {
      for (let i = 0; i < 20; i++) trainer.step(x, y);
    });
    await trainer.meanLoss();
    tf.dispose([x, y]);
    const byName: Record<string, number> = {};
    const kernelMs: Record<string, number> = {};
    for (const k of info.kernels) {
      byName[k.name] = (byName[k.name] ?? 0) + 1;
      kernelMs[k.name] = (kernelMs[k.name] ?? 0) + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0);
    }
    return { kernels: info.kernels.length / 20, byName, kernelMs };
  } finally {
    trainer.dispose();
  }
}

/**
 * Where a step's time goes on `backend`: ms per batch for the forward pass alone, forward + backward
 * (gradients, no update), and the whole flat-trainer step, each timed over `reps` batches with one
 * read-back at the end.
 */
async function breakdown(backend: BackendName, reps = 20): Promise<{ forwardMs: number; gradientsMs: number; stepMs: number; kernelsPerStep: number }> {
  const p = needPool();
  await initBackend(backend);
  const init = convnetInit(11);
  const vars = Object.fromEntries(init.map((q) => [q.name, tf.tensor(q.values, q.shape)])) as Record<ParamName, tf.Tensor>;
  const x = tf.tensor4d(p.x.subarray(0, BATCH * PIXELS), [BATCH, SIDE, SIDE, 1]);
  const y = tf.tensor2d(p.oneHot.subarray(0, BATCH * 10), [BATCH, 10]);
  const names = init.map((q) => q.name);
  const time = async (f: () => tf.Tensor): Promise<number> => {
    const run = async (n: number) => {
      let last: tf.Tensor | null = null;
      for (let i = 0; i < n; i++) {
        last?.dispose();
        last = f();
      }
      await last!.data();
      last!.dispose();
    };
    await run(2);
    const t0 = performance.now();
    await run(reps);
    return (performance.now() - t0) / reps;
  };
  const trainer = createFlatTrainer(convnetInit(11), (q, a, b) => convnetLoss(q, a, b), { kind: 'adadelta', rho: RHO, eps: EPS });
  try {
    const forwardMs = await time(() => tf.tidy(() => convnetLoss(vars, x, y)));
    const gradientsMs = await time(() =>
      tf.tidy(() => {
        const { grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => convnetLoss(Object.fromEntries(names.map((n, i) => [n, ps[i]])) as Record<ParamName, tf.Tensor>, x, y))(names.map((n) => vars[n]));
        return tf.addN(grads.map((g) => tf.sum(g)));
      }),
    );
    const stepMs = await time(() => {
      trainer.step(x, y);
      return tf.tidy(() => tf.sum(trainer.params().b3));
    });
    const info = await tf.profile(() => trainer.step(x, y));
    return { forwardMs, gradientsMs, stepMs, kernelsPerStep: info.kernels.length };
  } finally {
    trainer.dispose();
    tf.dispose([x, y, ...Object.values(vars)]);
  }
}

declare global {
  interface Window {
    __bench?: {
      setup: typeof setup;
      runConvnet: typeof runConvnet;
      runTfjs: typeof runTfjs;
      profileStep: typeof profileStep;
      breakdown: typeof breakdown;
      numTensors: () => number;
    };
  }
}

window.__bench = { setup, runConvnet, runTfjs, profileStep, breakdown, numTensors: () => tf.memory().numTensors };
document.title = 'bench ready';
