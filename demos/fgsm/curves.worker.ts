/**
 * The Web Worker that runs ./curves.ts for the FGSM view, created there with
 * `new Worker(new URL('./curves.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveJob } from '../runtime/jobs/worker';
import { curves } from './curves';

serveJob(curves);
