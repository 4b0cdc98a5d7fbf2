/**
 * The Web Worker that trains the U-Net (./train.ts) for View.tsx, created there with
 * `new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveJob } from '../runtime/jobs/worker';
import { trainSegmenter } from './train';

serveJob(trainSegmenter);
