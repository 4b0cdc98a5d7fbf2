/**
 * The Web Worker that trains the STN and the plain CNN (./train.ts) for View.tsx, created there with
 * `new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveJob } from '../runtime/jobs/worker';
import { trainStn } from './train';

serveJob(trainStn);
