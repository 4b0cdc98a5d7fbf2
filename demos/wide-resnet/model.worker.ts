/**
 * The Wide ResNet demo's worker: the deep-thin and the shallow-wide net train and are timed here. A call of a few
 * steps of the 8-block net plus its read-back held the page's main thread for 50 ms now and then (`npm run bench`'s
 * long tasks); here the page only draws. The worker loads the 5,000 digits itself.
 */
import { serveSimulation } from '../runtime/jobs/simulation-worker';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { createWideRun, DIGITS, type WideConfig } from './model';

serveSimulation(async ({ signal }) => {
  const data = await loadMnist({ split: 'train', count: DIGITS, baseUrl: MNIST_BASE_URL, signal });
  return (cfg: Partial<WideConfig>) => createWideRun(data, cfg);
});
