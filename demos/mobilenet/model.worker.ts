/**
 * The MobileNet demo's worker: the kernels are timed here. A standard convolution at 256 channels is one kernel of
 * about 70 ms on wasm, which on the page's main thread would be a long task (a dropped frame and a late click).
 */
import { serveSimulation } from '../runtime/jobs/simulation-worker';
import { createKernelTimer, type TimingParams } from './model';

serveSimulation(() => (q: TimingParams) => createKernelTimer(q));
