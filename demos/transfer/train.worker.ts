/**
 * The Web Worker that runs ./train.ts for the transfer-learning view, created there with
 * `new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveJob } from '../runtime/jobs/worker';
import { train } from './train';

serveJob(train);
