/**
 * The two-stage demo's worker: the shipped cnn's feature maps and the RoI pooling sweeps on them, so that the page
 * loads no tfjs (registry `tensors: 'worker'`) and its main thread only draws.
 */
import { serveSimulation } from '../runtime/jobs/simulation-worker';
import { MODELS_BASE_URL } from '../runtime/data/base-url';
import { loadShipped } from '../runtime/data/scene-set';
import { loadBackbone, poolSweepFor, type PoolParams } from './model';

serveSimulation(async ({ signal }) => {
  const [shipped, backbone] = await Promise.all([loadShipped(MODELS_BASE_URL, { signal }), loadBackbone(MODELS_BASE_URL, signal)]);
  return (q: PoolParams) => poolSweepFor(shipped, backbone, q);
});
