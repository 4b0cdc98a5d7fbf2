/**
 * The pruning demo's worker: the shipped MLP retrained with its masks fixed. One training step of the 784-300-100
 * network takes about a display frame on wasm, so it runs here and the page's main thread only draws. The weights
 * and the digits load once per worker (its own copy of the weights: the page draws the masks from another).
 */
import { serveSimulation } from '../runtime/jobs/simulation-worker';
import { MODELS_BASE_URL } from '../runtime/data/base-url';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadDenseWeights } from '../runtime/compress/layers';
import { pruningFor, TEST_DIGITS, TRAIN_DIGITS, type PruneParams } from './model';

serveSimulation(async ({ signal }) => {
  const [net, train, test] = await Promise.all([
    loadDenseWeights('mlp', { baseUrl: MODELS_BASE_URL, signal }),
    loadMnist({ split: 'train', count: TRAIN_DIGITS, baseUrl: MNIST_BASE_URL, signal }),
    loadMnist({ split: 'test', count: TEST_DIGITS, baseUrl: MNIST_BASE_URL, signal }),
  ]);
  return (p: PruneParams) => pruningFor(net.layers, { train, test }, p);
});
