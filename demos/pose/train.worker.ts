/**
 * The Web Worker that trains the keypoint network (./train.ts) for View.tsx, created there with
 * `new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveJob } from '../runtime/jobs/worker';
import { trainKeypoints } from './train';

serveJob(trainKeypoints);
