/**
 * The dropout demo's worker: the pair trains here, so that the page loads no tfjs (registry `tensors: 'worker'`)
 * and its main thread only draws (a step of both nets and their evaluation was about a frame of wasm there).
 */
import { serveSimulation } from '../runtime/jobs/simulation-worker';
import type { ParamValues } from '../runtime/params';
import { pairSimulation } from './model';
import { BOUNDARY_RES } from './data';
import type { dropoutParams } from './params';

serveSimulation(() => (p: ParamValues<typeof dropoutParams>) =>
  pairSimulation({ seed: p.seed, hidden: [Number(p.width), Number(p.width)], rate: p.rate, lr: p.lr, nTrain: p.nTrain, noise: p.noise }, BOUNDARY_RES),
);
