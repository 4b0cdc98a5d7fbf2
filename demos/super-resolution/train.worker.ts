/**
 * The Web Worker that trains ESPCN and the denoiser (./train.ts) for View.tsx, created there with
 * `new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveJob } from '../runtime/jobs/worker';
import { trainRestorers } from './train';

serveJob(trainRestorers);
