/**
 * The ResNet demo's worker: the MNIST digits load here, once, and the plain and residual nets train here, so that
 * the page loads no tfjs (registry `tensors: 'worker'`) and its main thread only draws (a step of the two 22-layer
 * nets is ~2,000 kernels, longer than a frame on wasm).
 */
import { serveSimulation } from '../runtime/jobs/simulation-worker';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import type { ParamValues } from '../runtime/params';
import { createResnetRun, TRAIN_DIGITS } from './model';
import type { resnetParams } from './params';

serveSimulation(async ({ signal }) => {
  const train = await loadMnist({ split: 'train', count: TRAIN_DIGITS, baseUrl: MNIST_BASE_URL, signal });
  return (p: ParamValues<typeof resnetParams>) => createResnetRun(train, { seed: p.seed, depth: p.depth, batchNorm: p.bn, lr: p.lr });
});
