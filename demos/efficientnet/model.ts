/**
 * Compound scaling (Tan & Le 2019, arXiv:1905.11946) in miniature, and the scaling calculator.
 *
 * The calculator: depth d = α^φ, width w = β^φ, resolution r = γ^φ; a convolutional network's multiply-adds
 * grow as d·w²·r², so under α·β²·γ² ≈ 2 they grow by about 2^φ. The B0…B7 table is counted layer by layer
 * by the architecture explorer's core (runtime/arch), exactly as torchvision builds the eight networks.
 *
 * The live search: a tiny MNIST CNN (two stages of 3×3 convolutions, the first of each with stride 2, the
 * others residual; the last map resized to 4×4; a linear classifier) scaled by (d, w, r): ceil(2·d) layers per
 * stage, round(8·w) and round(16·w) channels, digits resized to round(16·r) pixels. Its multiply-adds are
 * counted by the same GraphBuilder the explorer uses. A child is trained with Adam for a fixed number of
 * steps on seeded batches and scored on held-out test digits. Pure tfjs through runtime/tf: no React, no DOM.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { GraphBuilder } from '../runtime/arch/graph';
import { EFFICIENTNET_TORCHVISION, EFFICIENTNET_VARIANTS, summarizeEfficientNet, type EfficientNetName } from '../runtime/arch/zoo';
import { gaussian, mulberry32 } from '../runtime/random';
import { createFlatTrainer, type ParamInit } from '../runtime/train';
import { sampleBatches } from '../runtime/sampling';
import type { MnistArrays } from '../runtime/data/idx';

// ---------------------------------------------------------------- the calculator

/** The paper's coefficients, found by its grid search at φ = 1 on B0. */
export const PAPER_COEFFS = { alpha: 1.2, beta: 1.1, gamma: 1.15 } as const;

export interface Coeffs {
  alpha: number;
  beta: number;
  gamma: number;
}

/** d, w, r and the multiply-add factor d·w²·r² at compound coefficient φ. */
export function compound(phi: number, c: Coeffs = PAPER_COEFFS): { depth: number; width: number; resolution: number; flops: number } {
  const depth = c.alpha ** phi;
  const width = c.beta ** phi;
  const resolution = c.gamma ** phi;
  return { depth, width, resolution, flops: depth * width ** 2 * resolution ** 2 };
}

/** The φ that gives multiplier m along one dimension with base c: log m / log c (NaN when c = 1). */
export const phiOf = (m: number, c: number): number => Math.log(m) / Math.log(c);

export const EFFICIENTNETS = Object.keys(EFFICIENTNET_VARIANTS) as EfficientNetName[];

export interface FamilyRow {
  name: EfficientNetName;
  width: number;
  depth: number;
  resolution: number;
  params: number;
  macs: number;
  published: { params: number; gmacs: number; top1: number };
  /** The φ each of torchvision's multipliers implies under the paper's α, β, γ (resolution relative to 224). */
  phi: { depth: number; width: number; resolution: number };
}

/** B0…B7 as torchvision builds them, counted at the resolution torchvision evaluates each at. Pure: no tfjs. */
export function family(): FamilyRow[] {
  return EFFICIENTNETS.map((name) => {
    const v = EFFICIENTNET_VARIANTS[name];
    const s = summarizeEfficientNet(name);
    return {
      name,
      width: v.width,
      depth: v.depth,
      resolution: v.resolution,
      params: s.params,
      macs: s.macs,
      published: EFFICIENTNET_TORCHVISION[name],
      phi: { depth: phiOf(v.depth, PAPER_COEFFS.alpha), width: phiOf(v.width, PAPER_COEFFS.beta), resolution: phiOf(v.resolution / 224, PAPER_COEFFS.gamma) },
    };
  });
}

// ---------------------------------------------------------------- the tiny CNN and its scaling

/** Scaling multipliers of the tiny CNN (1, 1, 1: the base). */
export interface Scale {
  depth: number;
  width: number;
  resolution: number;
}

/** The last map is resized to HEAD_GRID × HEAD_GRID before the classifier, whatever the resolution. */
export const HEAD_GRID = 4;

/** The base network: layers per stage, channels per stage, input pixels. */
export const BASE = { layers: 2, channels: [8, 16], pixels: 16 } as const;

export interface TinyArch {
  /** Convolutions per stage. */
  layers: number;
  channels: [number, number];
  pixels: number;
}

/** The concrete network a scale gives (layers rounded up as torchvision rounds depth, channels and pixels to the nearest). */
export function tinyArch(s: Scale): TinyArch {
  for (const [k, v] of Object.entries(s)) if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${k} multiplier must be a positive number, got ${v}`);
  return {
    layers: Math.ceil(BASE.layers * s.depth - 1e-9),
    channels: [Math.max(1, Math.round(BASE.channels[0] * s.width)), Math.max(1, Math.round(BASE.channels[1] * s.width))],
    pixels: Math.max(4, Math.round(BASE.pixels * s.resolution)),
  };
}

/** The tiny CNN as a graph (the explorer's counting core): parameters and multiply-adds for one digit. */
export function describeTiny(a: TinyArch): GraphBuilder {
  const b = new GraphBuilder(`tiny ${a.layers}×2, ${a.channels.join('/')}, ${a.pixels}px`);
  let x = b.input(1, a.pixels);
  a.channels.forEach((c, s) =>
    b.stage(`stage${s + 1}`, () => {
      for (let i = 0; i < a.layers; i++) {
        x = b.block(`s${s + 1}.${i}`, () => {
          const y = b.act(b.conv(x, c, 3, { stride: i === 0 ? 2 : 1, pad: 'same' }), 'relu');
          return i === 0 ? y : b.sum([x, y]);
        });
      }
    }),
  );
  x = b.flatten(b.adaptivePool(x, HEAD_GRID, 'resize'));
  b.linear(x, 10);
  return b;
}

/** Parameters and multiply-adds of the tiny CNN at a scale. */
export function tinyCost(s: Scale): { arch: TinyArch; params: number; macs: number } {
  const arch = tinyArch(s);
  const sum = describeTiny(arch).summary(arch.pixels);
  return { arch, params: sum.params, macs: sum.macs };
}

type Name = string;

/** Seeded He-normal kernels, zero biases, in the order the forward pass reads them. */
export function initTinyParams(a: TinyArch, seed: number): ParamInit<Name>[] {
  const rng = mulberry32(seed);
  const out: ParamInit<Name>[] = [];
  let cin = 1;
  a.channels.forEach((c, s) => {
    for (let i = 0; i < a.layers; i++) {
      const n = 9 * cin * c;
      const sd = Math.sqrt(2 / (9 * cin)) * (i === 0 ? 1 : 0.5);
      const w = new Float32Array(n);
      for (let j = 0; j < n; j++) w[j] = sd * gaussian(rng);
      out.push({ name: `s${s}.${i}.w`, shape: [3, 3, cin, c], values: w }, { name: `s${s}.${i}.b`, shape: [c], values: new Float32Array(c) });
      cin = c;
    }
  });
  const feats = cin * HEAD_GRID * HEAD_GRID;
  const fc = new Float32Array(feats * 10);
  const lim = Math.sqrt(6 / (feats + 10));
  for (let j = 0; j < fc.length; j++) fc[j] = (2 * rng() - 1) * lim;
  out.push({ name: 'fc.w', shape: [feats, 10], values: fc }, { name: 'fc.b', shape: [10], values: new Float32Array(10) });
  return out;
}

/** Logits [N, 10] of the tiny CNN on images x [N, p, p, 1]. */
export function tinyForward(a: TinyArch, p: Readonly<Record<Name, tf.Tensor>>, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let h = x;
    for (let s = 0; s < a.channels.length; s++)
      for (let i = 0; i < a.layers; i++) {
        const y = tf.relu(tf.add(tf.conv2d(h, p[`s${s}.${i}.w`] as tf.Tensor4D, i === 0 ? 2 : 1, 'same'), p[`s${s}.${i}.b`])) as tf.Tensor4D;
        h = i === 0 ? y : (tf.add(h, y) as tf.Tensor4D);
      }
    const m = h.shape[1] === HEAD_GRID ? h : tf.image.resizeBilinear(h, [HEAD_GRID, HEAD_GRID]);
    const g = tf.reshape(m, [m.shape[0], -1]) as tf.Tensor2D;
    return tf.add(tf.matMul(g, p['fc.w'] as tf.Tensor2D), p['fc.b']) as tf.Tensor2D;
  });
}

/** Digits [N, 28, 28, 1] in [0, 1] resized (bilinear) to p × p. */
export function digitsAt(data: MnistArrays, count: number, pixels: number): tf.Tensor4D {
  return tf.tidy(() => {
    const n = Math.min(count, data.count);
    const x = tf.div(tf.tensor4d(data.images.subarray(0, n * 784), [n, 28, 28, 1], 'float32'), 255) as tf.Tensor4D;
    return pixels === 28 ? x : tf.image.resizeBilinear(x, [pixels, pixels]);
  });
}

export interface TrainSettings {
  steps: number;
  batch: number;
  lr: number;
  seed: number;
}

export const DEFAULT_TRAIN: TrainSettings = { steps: 150, batch: 32, lr: 3e-3, seed: 1 };

/**
 * One child: the tiny CNN at `scale` trained `steps` Adam steps on the first `train` digits and scored on the
 * first `test` digits. `onChunk` is awaited every `chunk` steps (the job yields there). Frees all it makes.
 */
export async function trainChild(
  scale: Scale,
  data: { train: MnistArrays; test: MnistArrays; trainCount: number; testCount: number },
  settings: TrainSettings = DEFAULT_TRAIN,
  onChunk?: (done: number) => Promise<void> | void,
  chunk = 25,
): Promise<{ accuracy: number; loss: number; seconds: number }> {
  const arch = tinyArch(scale);
  const t0 = Date.now();
  const x = digitsAt(data.train, data.trainCount, arch.pixels);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.train.labels.subarray(0, x.shape[0]), 'int32'), 10).asType('float32'));
  const xt = digitsAt(data.test, data.testCount, arch.pixels);
  const yt = tf.tensor1d(data.test.labels.subarray(0, xt.shape[0]), 'int32');
  const trainer = createFlatTrainer(initTinyParams(arch, settings.seed), (p, xb, yb) => tf.losses.softmaxCrossEntropy(yb, tinyForward(arch, p, xb as tf.Tensor4D)) as tf.Scalar, {
    kind: 'adam',
    lr: settings.lr,
  });
  try {
    const rng = mulberry32(settings.seed * 9973 + 7);
    const n = x.shape[0];
    const idx = sampleBatches(n, Math.min(settings.batch, n), settings.steps, rng);
    const bs = Math.min(settings.batch, n);
    for (let s = 0; s < settings.steps; s++) {
      tf.tidy(() => {
        const b = tf.tensor1d(idx.subarray(s * bs, (s + 1) * bs), 'int32');
        trainer.step(tf.gather(x, b), tf.gather(y, b));
      });
      if (onChunk && (s + 1) % chunk === 0 && s + 1 < settings.steps) await onChunk(s + 1);
    }
    const v = await readAndDispose(
      tf.tidy(() => {
        const acc = tf.mean(tf.cast(tf.equal(tf.argMax(tinyForward(arch, trainer.current(), xt), 1), yt), 'float32'));
        return tf.concat([tf.reshape(acc, [1]), tf.reshape(trainer.meanLossTensor(), [-1])]);
      }),
    );
    return { accuracy: v[0], loss: v[1], seconds: (Date.now() - t0) / 1000 };
  } finally {
    trainer.dispose();
    tf.dispose([x, y, xt, yt]);
  }
}

// ---------------------------------------------------------------- the search plan

/** The grid of φ = 1 candidates: α and β on a grid, γ solved from α·β²·γ² = 2 (kept when γ ≥ 1), 3 decimals. */
export function gridCandidates(): Coeffs[] {
  const out: Coeffs[] = [];
  for (const alpha of [1, 1.2, 1.4, 1.6, 1.8, 2])
    for (const beta of [1, 1.1, 1.2]) {
      const gamma = Math.round(1000 * Math.sqrt(2 / (alpha * beta * beta))) / 1000;
      if (gamma >= 1) out.push({ alpha, beta, gamma });
    }
  return out;
}

/** `k` of the grid's candidates, evenly spread over it (k ≥ the grid's size: all). */
export function pickCandidates(k: number): Coeffs[] {
  const all = gridCandidates();
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`the number of candidates must be a whole number ≥ 1, got ${k}`);
  if (k >= all.length) return all;
  if (k === 1) return [all[0]];
  return Array.from({ length: k }, (_, i) => all[Math.round((i * (all.length - 1)) / (k - 1))]);
}

export type ChildKind = 'base' | 'grid' | 'compound' | 'depth' | 'width' | 'resolution';

export interface ChildPlan {
  kind: ChildKind;
  phi: number;
  scale: Scale;
  /** The grid candidate (grid children) or the chosen one (compound children). */
  coeffs?: Coeffs;
}

/** A trained child: its plan, concrete network, cost and score. */
export interface ChildResult extends ChildPlan {
  arch: TinyArch;
  params: number;
  macs: number;
  accuracy: number;
  loss: number;
  seconds: number;
}

/** The single-dimension children at φ: one dimension alone takes the whole 2^φ of multiply-adds. */
export function singlePlans(phis: readonly number[]): ChildPlan[] {
  return phis.flatMap((phi) => [
    { kind: 'depth' as const, phi, scale: { depth: 2 ** phi, width: 1, resolution: 1 } },
    { kind: 'width' as const, phi, scale: { depth: 1, width: 2 ** (phi / 2), resolution: 1 } },
    { kind: 'resolution' as const, phi, scale: { depth: 1, width: 1, resolution: 2 ** (phi / 2) } },
  ]);
}

/** The best grid child: highest accuracy, ties to fewer multiply-adds. */
export function bestOf(children: readonly ChildResult[]): ChildResult | null {
  let best: ChildResult | null = null;
  for (const c of children) if (c.kind === 'grid' && (!best || c.accuracy > best.accuracy || (c.accuracy === best.accuracy && c.macs < best.macs))) best = c;
  return best;
}

// ---------------------------------------------------------------- results as JSON

export interface SearchResults {
  kind: 'efficientnet-search';
  version: 1;
  settings: { seed: number; steps: number; candidates: number; train: number; test: number };
  children: ChildResult[];
  /** The grid candidate chosen for compound scaling (null until the grid is done). */
  chosen: Coeffs | null;
  /** Seconds of training in all. */
  seconds: number;
}

const KINDS: readonly ChildKind[] = ['base', 'grid', 'compound', 'depth', 'width', 'resolution'];
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Reads exported results back; throws an Error whose message says what is wrong with the file. */
export function parseResults(text: string): SearchResults {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  if (!isObj(data) || data.kind !== 'efficientnet-search') throw new Error('not an EfficientNet search export (its "kind" should be "efficientnet-search")');
  if (data.version !== 1) throw new Error(`unsupported version ${String(data.version)} (this page reads version 1)`);
  const s = data.settings;
  if (!isObj(s) || !['seed', 'steps', 'candidates', 'train', 'test'].every((k) => isNum(s[k]))) throw new Error('"settings" must hold the numbers seed, steps, candidates, train and test');
  if (!Array.isArray(data.children)) throw new Error('"children" must be a list');
  data.children.forEach((c, i) => {
    const where = `child ${i + 1}`;
    if (!isObj(c)) throw new Error(`${where} is not an object`);
    if (!KINDS.includes(c.kind as ChildKind)) throw new Error(`${where}: unknown kind ${JSON.stringify(c.kind)} (one of ${KINDS.join(', ')})`);
    for (const k of ['phi', 'params', 'macs', 'accuracy', 'seconds']) if (!isNum(c[k])) throw new Error(`${where}: "${k}" must be a number`);
    if ((c.accuracy as number) < 0 || (c.accuracy as number) > 1) throw new Error(`${where}: accuracy ${c.accuracy} is outside 0…1`);
    const sc = c.scale;
    if (!isObj(sc) || !['depth', 'width', 'resolution'].every((k) => isNum(sc[k]) && (sc[k] as number) > 0)) throw new Error(`${where}: "scale" must hold positive depth, width and resolution`);
    const a = c.arch;
    if (!isObj(a) || !isNum(a.layers) || !isNum(a.pixels) || !Array.isArray(a.channels)) throw new Error(`${where}: "arch" must hold layers, channels and pixels`);
    if (!isNum(c.loss)) c.loss = NaN;
  });
  const ch = data.chosen;
  if (ch !== null && !(isObj(ch) && isNum(ch.alpha) && isNum(ch.beta) && isNum(ch.gamma))) throw new Error('"chosen" must be null or hold alpha, beta and gamma');
  if (!isNum(data.seconds)) throw new Error('"seconds" must be a number');
  return data as unknown as SearchResults;
}
