/**
 * Magnitude pruning of the shipped LeNet-300-100 and retraining with the mask fixed (Han, Pool, Tran & Dally
 * 2015): each layer keeps its largest weights by magnitude, the rest are set to zero, and training goes on
 * with the pruned connections held at zero. The network runs on tfjs; its weights live in one flat trainer
 * (runtime/train.ts), the masks as constant tensors multiplied into the weights in the forward pass, so a
 * pruned weight gets a zero gradient and never comes back.
 */
import { tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages } from '../runtime/data/loader';
import { createFlatTrainer, type FlatTrainer } from '../runtime/train';
import { mulberry32 } from '../runtime/random';
import type { DenseWeights } from '../runtime/compress/layers';
import { magnitudeMask, relativeIndices } from '../runtime/compress/sparse';
import { csrMatMul, encodingBytes, toCsr, type EncodingBytes } from '../runtime/compress/csr';
import { chunkedSum, measuredRunUnits, trainOrMeasure } from '../runtime/chunked-eval';

type Name = 'w1' | 'b1' | 'w2' | 'b2' | 'w3' | 'b3';

/** What to prune and how to retrain. */
export interface PruneConfig {
  /** Fraction of each layer's weights kept (biases are never pruned). */
  keep: readonly number[];
  /** Adam's learning rate for the retraining. */
  lr: number;
  batchSize: number;
  /** Seeds the order of the training digits. */
  seed: number;
  /**
   * Steps of one run (the view's budget): a run's last step is measured too, and a call that reaches it stops
   * there, so that a run ends on its own number; the next call goes on. Default: no run end.
   */
  runSteps?: number;
}

/**
 * Test digits of one unit of a measurement: about the arithmetic of one training step (a batch of 64 forward and
 * backward), so that on wasm a frame carries one or the other, never both.
 */
export const EVAL_CHUNK = 125;
/** The test accuracy is measured every this many steps (on a snapshot, EVAL_CHUNK digits a unit) and at a run's end. */
export const EVAL_EVERY = 10;

/** Units of work (training steps and measurement chunks, as step(k) counts them) of a run of `steps` steps. */
export function pruningRunUnits(steps: number, testDigits: number): number {
  return measuredRunUnits(steps, EVAL_EVERY, Math.ceil(testDigits / EVAL_CHUNK));
}

/** The paper's kept shares for LeNet-300-100 (Han et al. 2015, Table 2): 8 %, 9 %, 26 %. */
export const PAPER_KEEP = [0.08, 0.09, 0.26] as const;

/** One mask per layer: 1 where the weight is kept. */
export function pruneMasks(layers: readonly DenseWeights[], keep: readonly number[]): Uint8Array[] {
  if (keep.length !== layers.length) throw new RangeError(`need one kept share per layer (${layers.length}), got ${keep.length}`);
  return layers.map((l, i) => magnitudeMask(l.kernel, keep[i]));
}

/** What the view draws after some retraining steps. */
export interface PruneFrame {
  steps: number;
  /** Test accuracy of the unpruned network (fixed). */
  denseAccuracy: number;
  /** Test accuracy right after pruning, before any retraining (fixed). */
  prunedAccuracy: number;
  /** Test accuracy after `measuredAt` steps: the newest complete measurement (step(0) mid-run only measures on). */
  accuracy: number;
  measuredAt: number;
  /** Mean training loss of the steps since the previous frame (NaN at step 0). */
  loss: number;
}

/** Logits of the 3-layer ReLU network for x [n × 784]; masks multiply the weights when given. */
function logits(p: Readonly<Record<Name, tf.Tensor>>, x: tf.Tensor, masks: readonly tf.Tensor[] | null): tf.Tensor2D {
  const w = (name: 'w1' | 'w2' | 'w3', i: number) => (masks ? tf.mul(p[name], masks[i]) : p[name]);
  const h1 = tf.relu(tf.add(tf.matMul(x as tf.Tensor2D, w('w1', 0) as tf.Tensor2D), p.b1));
  const h2 = tf.relu(tf.add(tf.matMul(h1, w('w2', 1) as tf.Tensor2D), p.b2));
  return tf.add(tf.matMul(h2, w('w3', 2) as tf.Tensor2D), p.b3) as tf.Tensor2D;
}

/** Number of correct answers (a scalar tensor) of the network on x against integer labels y. */
function correct(p: Readonly<Record<Name, tf.Tensor>>, x: tf.Tensor, y: tf.Tensor, masks: readonly tf.Tensor[] | null): tf.Tensor {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits(p, x, masks), 1), y), 'float32'));
}

/**
 * Prunes `layers` (LeNet-300-100's three dense layers) to `cfg.keep` and retrains on `data.train` with the
 * masks fixed, one Adam step per step. step(k) runs k units of work, each one training step or one chunk of a
 * pending measurement of the accuracy on `data.test` (runtime/chunked-eval trainOrMeasure: training waits for it);
 * step(0), and the first call, measure at once. A Simulation for the demo kit; dispose() frees every tensor.
 */
export function createPruning(layers: readonly DenseWeights[], data: { train: MnistArrays; test: MnistArrays }, cfg: PruneConfig): Simulation<PruneFrame> & { weights(): Promise<Float32Array> } {
  if (layers.length !== 3) throw new RangeError(`pruning expects LeNet-300-100's 3 dense layers, got ${layers.length}`);
  const masks = pruneMasks(layers, cfg.keep);
  const names: [Name, Name][] = [['w1', 'b1'], ['w2', 'b2'], ['w3', 'b3']];
  const init = layers.flatMap((l, i) => [
    { name: names[i][0], shape: [l.inputs, l.units], values: Float32Array.from(l.kernel, (v, j) => (masks[i][j] ? v : 0)) },
    { name: names[i][1], shape: [l.units], values: Float32Array.from(l.bias) },
  ]);
  const maskT = masks.map((m, i) => tf.tensor2d(Float32Array.from(m), [layers[i].inputs, layers[i].units]));
  const testX = tf.tensor2d(floatImages(data.test), [data.test.count, 784]);
  const testY = tf.tensor1d(Int32Array.from(data.test.labels), 'int32');
  const loss = (p: Record<Name, tf.Tensor>, x: tf.Tensor, y: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, logits(p, x, maskT)) as tf.Scalar;
  let trainer: FlatTrainer<Name> | null = createFlatTrainer<Name>(init, loss, { kind: 'adam', lr: cfg.lr });
  // The unpruned network's accuracy, once: the original weights, no masks.
  const denseCount = tf.tidy(() => {
    const p = Object.fromEntries(layers.flatMap((l, i) => [[names[i][0], tf.tensor2d(l.kernel, [l.inputs, l.units])], [names[i][1], tf.tensor1d(l.bias)]])) as Record<Name, tf.Tensor>;
    return correct(p, testX, testY, null).dataSync()[0];
  });
  const rng = mulberry32(cfg.seed);
  let order = Int32Array.from({ length: data.train.count }, (_, i) => i);
  let cursor = order.length;
  const nextBatch = () => {
    const n = cfg.batchSize;
    const xs = new Float32Array(n * 784);
    const ys = new Float32Array(n * 10);
    for (let k = 0; k < n; k++) {
      if (cursor >= order.length) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(rng() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
        cursor = 0;
      }
      const d = order[cursor++];
      const src = data.train.images.subarray(d * 784, (d + 1) * 784);
      for (let p = 0; p < 784; p++) xs[k * 784 + p] = src[p] / 255;
      ys[k * 10 + data.train.labels[d]] = 1;
    }
    return [tf.tensor2d(xs, [n, 784]), tf.tensor2d(ys, [n, 10])];
  };
  // Correct answers on test digits [from, from + size) of a snapshot of the weights (pruned ones are zero).
  const evaluation = chunkedSum<Record<Name, tf.Tensor>>(data.test.count, EVAL_CHUNK, (p, from, size) =>
    correct(p, testX.slice([from, 0], [size, 784]), testY.slice([from], [size]), maskT),
  );
  let steps = 0;
  let prunedAccuracy = NaN;
  let accuracy = NaN;
  /** The step of the newest measurement (−1: none yet). */
  let measuredAt = -1;
  /** Training reached a run's end (cfg.runSteps) and waits there for a call after its measurement. */
  let held = false;
  return {
    async step(k: number) {
      if (!trainer) throw new Error('pruning: stepped after dispose');
      const t = trainer;
      const run = cfg.runSteps ?? Infinity;
      if (held && measuredAt === steps) held = false; // the run's last number is in: a new call goes on
      const trainOne = () => {
        if (held) return false;
        const [x, y] = nextBatch();
        tf.tidy(() => t.step(x, y));
        tf.dispose([x, y]);
        steps++;
        held = steps % run === 0;
        if (steps % EVAL_EVERY === 0 || held) evaluation.start(steps, t.params());
        return true;
      };
      const atOnce = k === 0 || measuredAt < 0; // step(0) and the first result: the current step's number, at once
      if (atOnce && evaluation.at === null && measuredAt !== steps) evaluation.start(steps, t.params());
      let at = -1;
      const both = tf.tidy(() => {
        const done = trainOrMeasure(evaluation, k, trainOne, atOnce);
        const last = done.measured[done.measured.length - 1];
        at = last?.at ?? -1;
        const count = last ? tf.reshape(last.total, []) : tf.scalar(NaN);
        tf.dispose(done.measured.map((m) => m.total)); // kept by chunkedSum, so not the tidy's to free
        return tf.stack([count, tf.reshape(t.meanLossTensor(), [])]);
      });
      const [c, l] = await both.data();
      both.dispose();
      if (at >= 0) {
        accuracy = c / data.test.count;
        measuredAt = at;
      }
      if (measuredAt === 0) prunedAccuracy = accuracy;
      return { steps, denseAccuracy: denseCount / data.test.count, prunedAccuracy, accuracy, measuredAt, loss: l };
    },
    /** The parameters now, flat: w1, b1, w2, b2, w3, b3 in row-major order. */
    async weights() {
      if (!trainer) throw new Error('pruning: read after dispose');
      return trainer.read();
    },
    dispose() {
      trainer?.dispose();
      trainer = null;
      evaluation.dispose();
      tf.dispose([...maskT, testX, testY]);
      maskT.length = 0;
    },
  };
}

/** Retraining steps of one run in the demo (Play resumes for as many again). */
export const RUN_STEPS = 300;
/** The digits the demo retrains on and measures with: the first of each split. */
export const TRAIN_DIGITS = 5000;
export const TEST_DIGITS = 1000;

/** The reader's choices (params.ts): the percentage each layer keeps and the seed. */
export interface PruneParams {
  keep1: number;
  keep2: number;
  keep3: number;
  seed: number;
}

/** The shares each layer keeps, from the reader's percentages. */
export const keptShares = (p: PruneParams): number[] => [p.keep1 / 100, p.keep2 / 100, p.keep3 / 100];

/** The demo's run for the reader's choices: Adam at 1e-3, batches of 64, RUN_STEPS steps a run. */
export function pruningFor(layers: readonly DenseWeights[], data: { train: MnistArrays; test: MnistArrays }, p: PruneParams): Simulation<PruneFrame> {
  return createPruning(layers, data, { keep: keptShares(p), lr: 1e-3, batchSize: 64, seed: p.seed, runSteps: RUN_STEPS });
}

/** Milliseconds of one product x · W of each kind (the median of `reps` runs). */
export interface ProductTimes {
  /** tfjs's dense matMul on the current backend, zeros included, with the read-back. */
  denseKernel: number;
  /** The same product as a plain loop over all weights (no vector units, no GPU). */
  denseLoop: number;
  /** The plain loop over the kept weights only, from CSR. */
  sparseLoop: number;
  /** Share of weights kept. */
  density: number;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

/**
 * Times x · W for `batch` inputs (the first `batch` rows of `x`, 784 values each for fc1) three ways, in
 * whatever JavaScript engine and tfjs backend run it: the backend's dense kernel, a plain dense loop, and a
 * plain CSR loop over the kept weights. Frees its tensors.
 */
export async function timeProducts(layer: DenseWeights, mask: Uint8Array, x: Float32Array, batch: number, reps = 5): Promise<ProductTimes> {
  const pruned = Float32Array.from(layer.kernel, (v, j) => (mask[j] ? v : 0));
  const csr = toCsr(pruned, layer.inputs, layer.units, mask);
  const xs = x.subarray(0, batch * layer.inputs);
  const xt = tf.tensor2d(xs, [batch, layer.inputs]);
  const wt = tf.tensor2d(pruned, [layer.inputs, layer.units]);
  const out = new Float32Array(batch * layer.units);
  const dense: number[] = [];
  const loop: number[] = [];
  const sparse: number[] = [];
  try {
    const warm = tf.matMul(xt, wt); // warm-up: shader compile, first dispatch
    await warm.data();
    warm.dispose();
    for (let r = 0; r < reps; r++) {
      let t = performance.now();
      const y = tf.matMul(xt, wt);
      await y.data();
      y.dispose();
      dense.push(performance.now() - t);
      t = performance.now();
      out.fill(0);
      for (let s = 0; s < batch; s++) {
        for (let i = 0; i < layer.inputs; i++) {
          const xv = xs[s * layer.inputs + i];
          const row = i * layer.units;
          for (let u = 0; u < layer.units; u++) out[s * layer.units + u] += xv * pruned[row + u];
        }
      }
      loop.push(performance.now() - t);
      t = performance.now();
      csrMatMul(xs, batch, csr, out);
      sparse.push(performance.now() - t);
    }
  } finally {
    tf.dispose([xt, wt]);
  }
  return { denseKernel: median(dense), denseLoop: median(loop), sparseLoop: median(sparse), density: csr.values.length / pruned.length };
}

/**
 * The masks as images: fc1's share of kept weights per input pixel (28 × 28), and the other layers' masks
 * with one row per output unit (units × inputs).
 */
export function maskImages(layers: readonly DenseWeights[], masks: readonly Uint8Array[]): { values: Float32Array; width: number; height: number }[] {
  return layers.map((l, i) => {
    const m = masks[i];
    if (l.inputs === 784) {
      const v = new Float32Array(784);
      for (let p = 0; p < 784; p++) {
        let k = 0;
        for (let u = 0; u < l.units; u++) k += m[p * l.units + u];
        v[p] = k / l.units;
      }
      // Scale so the most-kept pixel is full ink.
      const top = Math.max(...v) || 1;
      return { values: v.map((x) => x / top), width: 28, height: 28 };
    }
    const v = new Float32Array(l.inputs * l.units);
    for (let r = 0; r < l.inputs; r++) for (let u = 0; u < l.units; u++) v[u * l.inputs + r] = m[r * l.units + u];
    return { values: v, width: l.inputs, height: l.units };
  });
}

/** One layer's pruned weights in each encoding: its name, the weights kept (`nnz`) of `n`, and the bytes. */
export interface EncodingRow extends EncodingBytes {
  name: string;
  nnz: number;
  n: number;
}

/**
 * The bytes of every layer's pruned weights in each encoding of runtime/compress/csr (float32 values; relative
 * indices of `indexBits` bits, with the fillers their gaps need), and their sums over the layers.
 */
export function encodingTable(layers: readonly DenseWeights[], masks: readonly Uint8Array[], indexBits: number): { rows: EncodingRow[]; total: EncodingBytes } {
  const rows = layers.map((l, i) => {
    const nnz = masks[i].reduce((a, b) => a + b, 0);
    return { name: l.name, nnz, n: l.kernel.length, ...encodingBytes(l.inputs, l.units, nnz, relativeIndices(masks[i], indexBits).symbols.length, indexBits) };
  });
  const sum = (k: keyof EncodingBytes) => rows.reduce((s, r) => s + r[k], 0);
  return { rows, total: { dense: sum('dense'), csr32: sum('csr32'), csr16: sum('csr16'), relative: sum('relative') } };
}
