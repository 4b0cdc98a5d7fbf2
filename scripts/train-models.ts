/**
 * Node side of training the shipped models (scripts/train.mjs): full MNIST from the IDX files, the
 * seeded loop of demos/runtime/models/train.ts, and the files the site serves: public/models/<name>/{model.json,
 * weights.bin, manifest.json} in tfjs layers format, written through tf.io.withSaveHandler.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tf } from '../demos/runtime/tf';
import { crc32 } from '../demos/runtime/data/crc32';
import type { MnistArrays } from '../demos/runtime/data/idx';
import { FLAT_MANIFEST_FORMAT, MODEL_MANIFEST_FORMAT, type FlatModelManifest, type ModelFile, type ModelManifest } from '../demos/runtime/data/models';
import { accuracy, selectDigits, sliceRange } from '../demos/runtime/models/classify';
import { trainClassifier, type EpochInfo } from '../demos/runtime/models/train';
import { FLAT_MODELS, MODEL_SPECS, summarizeLayers, type ModelName, type TrainRecipe } from '../demos/runtime/models/zoo';
import { binaryAccuracy, cnnWeights, fineTuneBinary } from '../demos/runtime/models/binary';
import { loadModel } from '../demos/runtime/data/models';
import { fileFetch, loadMnistNode } from './mnist-node';
import { useNodeBackend, type NodeBackend } from './tf-node';

// Re-exported so scripts/train.mjs imports a single bundle (two bundles would load tfjs twice).
export { MODEL_NAMES, isModelName } from '../demos/runtime/models/zoo';

/** Name of the single weight shard (small models: one request beats several). */
export const WEIGHTS_FILE = 'weights.bin';

/** Writes model.json + weights.bin for `model` into `dir`; returns the files with sizes and CRCs. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<ModelFile[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: ModelFile[] = [];
  const write = (name: string, bytes: Uint8Array) => {
    fs.writeFileSync(path.join(dir, name), bytes);
    files.push({ path: name, bytes: bytes.length, crc32: crc32(bytes) });
  };
  await model.save(
    tf.io.withSaveHandler(async (art) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(art.weightData ?? []));
      const modelJson = {
        format: art.format,
        generatedBy: art.generatedBy,
        convertedBy: art.convertedBy,
        modelTopology: art.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: art.weightSpecs ?? [] }],
      };
      write('model.json', new TextEncoder().encode(JSON.stringify(modelJson)));
      write(WEIGHTS_FILE, weights);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.length } };
    }),
  );
  return files;
}

/** What a caller supplies for a manifest; the rest is read off the model and the written files. */
export type ManifestFields = Pick<ModelManifest, 'name' | 'title' | 'digits' | 'training' | 'test'>;

/**
 * Writes a complete model directory: model.json + weights.bin (see {@link saveLayersModel}) and
 * manifest.json, whose architecture, parameter count, input shape, byte sizes and CRCs come from the
 * model and the files just written. Returns the manifest.
 */
export async function writeModelDir(model: tf.LayersModel, dir: string, fields: ManifestFields): Promise<ModelManifest> {
  const files = await saveLayersModel(model, dir);
  const manifest: ModelManifest = {
    format: MODEL_MANIFEST_FORMAT,
    version: 1,
    ...fields,
    inputShape: (model.inputs[0].shape as number[]).slice(1),
    architecture: summarizeLayers(model),
    params: model.countParams(),
    date: new Date().toISOString(),
    weightBytes: files.filter((f) => f.path !== 'model.json').reduce((n, f) => n + f.bytes, 0),
    files,
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}

/** Options of {@link trainModel}. */
export interface TrainModelOptions {
  /** Directory the model directory is written under (default public/models). */
  outRoot?: string;
  /** Stop after this many optimizer steps. */
  steps?: number;
  /**
   * Smoke run: 40 steps (unless `steps`), validation on 500 digits and testing on the first 1,000 test
   * digits, so it finishes in seconds. Its accuracy means nothing; never ship it.
   */
  quick?: boolean;
  /** With `quick`: the validation digits (default 500) and the first test digits scored (default 1,000); tests use fewer. */
  quickDigits?: { validation: number; test: number };
  backend?: NodeBackend;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Overrides of the model's recipe (for experiments; the shipped models use their recipe as is). */
  recipe?: Partial<TrainRecipe>;
  /** Preloaded data (tests reuse one copy); default: the full sets from the IDX files. */
  data?: { train: MnistArrays; test: MnistArrays };
}

/** What {@link trainModel} returns. */
export interface TrainModelResult {
  manifest: ModelManifest;
  /** The written model directory. */
  dir: string;
  /** Training loss of every step. */
  losses: number[];
}

/**
 * Trains model `name` from scratch with its recipe (demos/runtime/models/zoo.ts), scores it on the test digits
 * of its classes, and writes <outRoot>/<name>/ (model files + manifest.json). Validation uses the last
 * `recipe.validationCount` training digits of its classes, which are never trained on.
 */
export async function trainModel(name: ModelName, opts: TrainModelOptions = {}): Promise<TrainModelResult> {
  const spec = MODEL_SPECS[name];
  const log = opts.log ?? (() => {});
  const backend = opts.backend ?? 'wasm';
  await useNodeBackend(backend);

  const all = opts.data ?? { train: loadMnistNode('train'), test: loadMnistNode('test') };
  const recipe: TrainRecipe = { ...spec.recipe, ...opts.recipe };
  const range = recipe.trainRange;
  const train = selectDigits(range ? sliceRange(all.train, range[0], Math.min(range[1], all.train.count)) : all.train, spec.digits);
  let test = selectDigits(all.test, spec.digits);
  const quickDigits = opts.quickDigits ?? { validation: 500, test: 1000 };
  const valCount = opts.quick ? quickDigits.validation : recipe.validationCount;
  const fit = sliceRange(train, 0, train.count - valCount);
  const validation = sliceRange(train, train.count - valCount, train.count);
  if (opts.quick) test = sliceRange(test, 0, Math.min(quickDigits.test, test.count));
  const steps = opts.steps ?? (opts.quick ? 40 : undefined);

  const model = spec.build(recipe.seed);
  try {
    const params = model.countParams();
    log(`${name}: ${params} parameters, ${fit.count} training / ${validation.count} validation digits, backend ${backend}`);
    const t0 = performance.now();
    if (recipe.binary) return await fineTuneShipped(name, model, recipe, { fit, validation, test, steps, opts, log, backend, t0 });
    const result = await trainClassifier(model, fit, {
      recipe,
      maxSteps: steps,
      validation,
      onStep: (step, loss) => {
        if (step % 200 === 0) log(`  step ${step}: loss ${loss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      },
      onEpoch: (e: EpochInfo) =>
        log(`  epoch ${e.epoch}: ${e.steps} steps, lr ${e.learningRate.toPrecision(3)}, loss ${e.meanLoss.toFixed(4)}, validation ${pct(e.validationAccuracy ?? 0)}, ${e.seconds.toFixed(1)} s`),
    });
    const seconds = (performance.now() - t0) / 1000;
    const scored = await accuracy(model, test);
    const subset =
      spec.digits.length === 10 ? 'full MNIST test set' : `MNIST test digits ${spec.digits.join(', ')} only (output i is digits[i])`;
    log(`${name}: test accuracy ${pct(scored.accuracy)} (${scored.correct}/${scored.count}, ${subset}); training ${seconds.toFixed(1)} s`);

    const dir = path.join(opts.outRoot ?? path.join('public', 'models'), name);
    const manifest = await writeModelDir(model, dir, {
      name,
      title: spec.title,
      digits: [...spec.digits],
      training: {
        ...recipe,
        backend,
        trainExamples: fit.count,
        validationExamples: validation.count,
        steps: result.steps,
        validationAccuracy: result.validationAccuracy ?? 0,
        seconds: round(seconds, 1),
        history: result.epochs.map((e) => ({ epoch: e.epoch, meanLoss: round(e.meanLoss, 5), validationAccuracy: e.validationAccuracy ?? 0, seconds: round(e.seconds, 1) })),
      },
      test: { ...scored, subset: opts.quick ? `first ${test.count} of the ${subset} (quick run)` : subset },
    });
    return { manifest, dir, losses: result.losses };
  } finally {
    model.dispose();
  }
}

/**
 * The binarised networks (recipe.binary): `model` takes the weights of the shipped model `recipe.binary.from`
 * (public/models, or `opts.modelsRoot`), its latent weights are fine-tuned binarised (runtime/models/binary.ts),
 * and it is scored binarised, as the page runs it.
 */
async function fineTuneShipped(
  name: ModelName,
  model: tf.LayersModel,
  recipe: TrainRecipe,
  c: { fit: MnistArrays; validation: MnistArrays; test: MnistArrays; steps?: number; opts: TrainModelOptions; log: (l: string) => void; backend: NodeBackend; t0: number },
): Promise<TrainModelResult> {
  const b = recipe.binary!;
  const spec = MODEL_SPECS[name];
  const from = await loadModel(b.from, { baseUrl: '/', fetch: fileFetch(path.resolve('public', 'models')) });
  try {
    model.setWeights(from.model.getWeights());
  } finally {
    from.model.dispose();
  }
  const w = cnnWeights(model);
  const steps = c.steps ?? b.steps;
  const losses = await fineTuneBinary(w, c.fit, {
    mode: b.mode,
    steps,
    batchSize: recipe.batchSize,
    learningRate: recipe.learningRate,
    seed: recipe.seed,
    onStep: (step, loss) => {
      if (step % 100 === 0) c.log(`  step ${step}: loss ${loss.toFixed(4)} (${((performance.now() - c.t0) / 1000).toFixed(0)} s)`);
    },
  });
  const seconds = (performance.now() - c.t0) / 1000;
  const validationAccuracy = (await binaryAccuracy(w, b.mode, c.validation)).accuracy;
  const scored = await binaryAccuracy(w, b.mode, c.test);
  const subset = 'full MNIST test set';
  c.log(`${name}: validation ${pct(validationAccuracy)}, test accuracy ${pct(scored.accuracy)} (${scored.correct}/${scored.count}, ${b.mode}); fine-tuning ${seconds.toFixed(1)} s`);
  const dir = path.join(c.opts.outRoot ?? path.join('public', 'models'), name);
  const meanLoss = losses.reduce((a, x) => a + x, 0) / losses.length;
  const manifest = await writeModelDir(model, dir, {
    name,
    title: spec.title,
    digits: [...spec.digits],
    training: {
      ...recipe,
      backend: c.backend,
      trainExamples: c.fit.count,
      validationExamples: c.validation.count,
      steps: losses.length,
      validationAccuracy,
      seconds: round(seconds, 1),
      history: [{ epoch: 1, meanLoss: round(meanLoss, 5), validationAccuracy, seconds: round(seconds, 1) }],
    },
    test: { ...scored, subset: c.opts.quick ? `first ${c.test.count} of the ${subset} (quick run)` : subset },
  });
  return { manifest, dir, losses };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The shipped CapsNet's recipe (Sabour et al. 2017 train with Adam and 3 routing iterations, as here). */
export const CAPSNET_RECIPE = { epochs: 1, batchSize: 64, learningRate: 1e-3, lrDecayPerEpoch: 0.5, routingIterations: 3, seed: 1, trainCount: 60000 };

/**
 * Trains the capsules page's CapsNet (demos/capsules/model.ts) from its seed on the first `trainCount` training
 * digits with Adam on the margin loss, scores it on the 10,000 test digits with 1 and 3 routing iterations and
 * writes public/models/capsnet/{weights.bin, manifest.json}. `steps` stops early (smoke runs; never ship them).
 */
export async function trainCapsnet(opts: { outRoot?: string; steps?: number; testCount?: number; backend?: NodeBackend; log?: (line: string) => void } = {}) {
  const caps = await import('../demos/capsules/model');
  const { mulberry32, shuffleInPlace } = await import('../demos/runtime/random');
  const log = opts.log ?? (() => {});
  const backend = opts.backend ?? 'wasm';
  await useNodeBackend(backend);
  const r = CAPSNET_RECIPE;
  const train = loadMnistNode('train');
  const test = loadMnistNode('test');
  const n = Math.min(r.trainCount, train.count);
  const pixels = (d: MnistArrays, s: number, e: number) => Float32Array.from(d.images.subarray(s * 784, e * 784), (v) => v / 255);
  const net = caps.initCapsNet(r.seed);
  const opt = tf.train.adam(r.learningRate);
  const rng = mulberry32(r.seed);
  const t0 = performance.now();
  let step = 0;
  const history: { epoch: number; meanLoss: number; seconds: number }[] = [];
  try {
    outer: for (let epoch = 1; epoch <= r.epochs; epoch++) {
      (opt as unknown as { learningRate: number }).learningRate = r.learningRate * r.lrDecayPerEpoch ** (epoch - 1);
      const order = shuffleInPlace(Array.from({ length: n }, (_, k) => k), rng) as number[];
      let sum = 0;
      let count = 0;
      for (let s = 0; s + r.batchSize <= n; s += r.batchSize) {
        const x = new Float32Array(r.batchSize * 784);
        const y = new Float32Array(r.batchSize * 10);
        for (let k = 0; k < r.batchSize; k++) {
          const idx = order[s + k];
          for (let p = 0; p < 784; p++) x[k * 784 + p] = train.images[idx * 784 + p] / 255;
          y[k * 10 + train.labels[idx]] = 1;
        }
        const loss = tf.tidy(() => {
          const xs = tf.tensor4d(x, [r.batchSize, 28, 28, 1]);
          const ys = tf.tensor2d(y, [r.batchSize, 10]);
          return opt.minimize(() => caps.capsNetLoss(net, xs, ys, r.routingIterations), true, net.weights) as tf.Scalar;
        });
        const l = (await loss.data())[0];
        loss.dispose();
        sum += l;
        count++;
        step++;
        if (step % 50 === 0) log(`  step ${step}: loss ${l.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
        if (opts.steps !== undefined && step >= opts.steps) {
          history.push({ epoch, meanLoss: round(sum / count, 5), seconds: round((performance.now() - t0) / 1000, 1) });
          break outer;
        }
      }
      history.push({ epoch, meanLoss: round(sum / count, 5), seconds: round((performance.now() - t0) / 1000, 1) });
      log(`  epoch ${epoch}: mean loss ${(sum / count).toFixed(4)}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const tc = Math.min(opts.testCount ?? test.count, test.count);
    const tx = pixels(test, 0, tc);
    const tl = test.labels.subarray(0, tc);
    const accuracy1 = await caps.capsAccuracy(net, tx, tl, 1);
    const accuracy3 = await caps.capsAccuracy(net, tx, tl, 3);
    log(`capsnet: test accuracy ${pct(accuracy1)} (1 iteration), ${pct(accuracy3)} (3 iterations) on ${tc} test digits; training ${seconds.toFixed(1)} s`);
    const flat = await caps.capsNetToFlat(net);
    const bytes = new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength);
    const dir = path.join(opts.outRoot ?? path.join('public', 'models'), caps.CAPSNET_NAME);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, WEIGHTS_FILE), bytes);
    const manifest: import('../demos/capsules/model').CapsNetManifest = {
      format: caps.CAPSNET_FORMAT,
      name: caps.CAPSNET_NAME,
      title: 'A small CapsNet: conv 9×9×16 → 6×6×6 primary capsules of 4 D → 10 digit capsules of 8 D, 3 routing iterations, margin loss',
      params: caps.CAPSNET_PARAMS,
      weights: caps.CAPSNET_WEIGHTS.map((w) => ({ ...w })),
      file: { path: WEIGHTS_FILE, bytes: bytes.length, crc32: crc32(bytes) },
      training: { ...r, backend, steps: step, seconds: round(seconds, 1), history },
      test: { count: tc, accuracy1, accuracy3 },
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
    return { manifest, dir };
  } finally {
    opt.dispose();
    net.dispose();
  }
}

/** Writes a flat network (runtime/data/models.ts loadFlatModel) to `dir`: weights.bin and manifest.json. */
export function writeFlatModel(dir: string, flat: Float32Array, fields: Omit<FlatModelManifest, 'format' | 'params' | 'file' | 'date'>): FlatModelManifest {
  fs.mkdirSync(dir, { recursive: true });
  const bytes = new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength);
  fs.writeFileSync(path.join(dir, WEIGHTS_FILE), bytes);
  const manifest: FlatModelManifest = {
    format: FLAT_MANIFEST_FORMAT,
    ...fields,
    params: flat.length,
    file: { path: WEIGHTS_FILE, bytes: bytes.length, crc32: crc32(bytes) },
    date: new Date().toISOString(),
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}

/**
 * `npm run train -- unet-digits`: the segmentation page's training job (demos/segmentation/train.ts) at its
 * defaults, the recipe of FLAT_MODELS['unet-digits'], run in Node; writes the final parameters with the job's last
 * scores on its 100 held-out scenes to public/models/unet-digits/. `steps` stops early (smoke runs; never ship them).
 */
export async function trainUnetDigits(opts: { outRoot?: string; steps?: number; backend?: NodeBackend; log?: (line: string) => void } = {}): Promise<{ manifest: FlatModelManifest; dir: string }> {
  const seg = await import('../demos/segmentation/train');
  const log = opts.log ?? (() => {});
  const backend = opts.backend ?? 'wasm';
  await useNodeBackend(backend);
  const { title, recipe } = FLAT_MODELS['unet-digits'];
  const input = { seed: recipe.seed, steps: opts.steps ?? recipe.steps, skips: true };
  const gen = seg.trainSegmenter(input, { signal: new AbortController().signal }, fileFetch('public'));
  let shown = 0;
  let last: Awaited<ReturnType<typeof gen.next>>;
  for (;;) {
    last = await gen.next();
    const p = last.done ? last.value : last.value.partial!;
    for (; shown < p.miou.length; shown++) log(`  step ${p.scoreAt[shown]}: mean IoU ${p.miou[shown].toFixed(4)}, pixel accuracy ${p.pixelAcc[shown].toFixed(4)} (${p.trainSeconds.toFixed(0)} s of training)`);
    if (last.done) break;
  }
  const p = last.value as import('../demos/segmentation/train').TrainProgress;
  const dir = path.join(opts.outRoot ?? path.join('public', 'models'), 'unet-digits');
  const manifest = writeFlatModel(dir, p.flat, {
    name: 'unet-digits',
    title,
    madeBy: 'npm run train -- unet-digits (scripts/train-models.ts trainUnetDigits: the segmentation page’s training job at its defaults)',
    training: { ...recipe, steps: p.steps, backend, trainSeconds: round(p.trainSeconds, 1), lossLast: round(p.loss[p.loss.length - 1], 5) },
    test: { heldOutScenes: seg.HELD_OUT, seed: input.seed, meanIou: round(p.miou[p.miou.length - 1], 4), pixelAccuracy: round(p.pixelAcc[p.pixelAcc.length - 1], 4), perClass: p.perClass.map((v) => round(v, 4)) },
  });
  log(`unet-digits: mean IoU ${manifest.test.meanIou} on ${seg.HELD_OUT} held-out scenes after ${p.steps} steps, ${p.trainSeconds.toFixed(1)} s of training`);
  return { manifest, dir };
}
