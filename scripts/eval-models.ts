/**
 * Scores a shipped model exactly as the browser gets it (scripts/eval.mjs, `npm run eval -- <name>`):
 * model files through loadModel and test digits through loadMnist, both over a file-backed fetch of
 * public/ at the site's URL paths, so a broken file or path fails here as it would on the site.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadMnist, MNIST_BASE_URL } from '../demos/runtime/data/loader';
import { loadModel, MODELS_BASE_URL, type ModelManifest } from '../demos/runtime/data/models';
import { accuracy, selectDigits, sliceRange, type AccuracyResult } from '../demos/runtime/models/classify';
import { binaryAccuracy, cnnWeights } from '../demos/runtime/models/binary';
import { fileFetch } from './mnist-node';
import { useNodeBackend, type NodeBackend } from './tf-node';

export { MODEL_NAMES, isModelName } from '../demos/runtime/models/zoo';


/** Options of {@link evalShipped}. */
export interface EvalOptions {
  /** The directory served as the site root (default 'public'). */
  publicDir?: string;
  backend?: NodeBackend;
  /** Score only the first this many test digits of the model's classes (default: all of them). */
  limit?: number;
}

/** What {@link evalShipped} returns. */
export interface EvalResult extends AccuracyResult {
  manifest: ModelManifest;
  /** Seconds to load the model and data, and to score. */
  loadSeconds: number;
  evalSeconds: number;
}

/**
 * Accuracy of shipped model `name` on the MNIST test digits of its classes (the full 10,000 for a
 * 10-class model; with `limit`, the first `limit` of them). The model is disposed before returning.
 */
export async function evalShipped(name: string, opts: EvalOptions = {}): Promise<EvalResult> {
  const root = opts.publicDir ?? 'public';
  // public/data/ is generated (npm run data, also run by prebuild), not committed: say so plainly.
  if (!fs.existsSync(path.join(root, MNIST_BASE_URL, 'manifest.json'))) {
    throw new Error(`no MNIST shards in ${path.join(root, MNIST_BASE_URL)}: run \`npm run data\` first`);
  }
  await useNodeBackend(opts.backend ?? 'wasm');
  const fetchFn = fileFetch(root);
  const t0 = performance.now();
  const [{ model, manifest }, test] = await Promise.all([
    loadModel(name, { baseUrl: MODELS_BASE_URL, fetch: fetchFn }),
    loadMnist({ split: 'test', baseUrl: MNIST_BASE_URL, fetch: fetchFn }),
  ]);
  const t1 = performance.now();
  try {
    const digits = selectDigits(test, manifest.digits);
    const scoredDigits = opts.limit === undefined ? digits : sliceRange(digits, 0, Math.min(opts.limit, digits.count));
    // A binarised network (cnn-bwn, cnn-xnor) stores latent weights: it is scored binarised, as the page runs it.
    const binary = manifest.training.binary;
    const scored = binary ? await binaryAccuracy(cnnWeights(model), binary.mode, scoredDigits) : await accuracy(model, scoredDigits);
    return { ...scored, manifest, loadSeconds: (t1 - t0) / 1000, evalSeconds: (performance.now() - t1) / 1000 };
  } finally {
    model.dispose();
  }
}
