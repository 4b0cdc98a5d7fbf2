/**
 * The Web Worker that trains one benchmark cell for TrainChild.tsx ("train this child live"), created there with
 * `new Worker(new URL('./train-child.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveJob } from '../runtime/jobs/worker';
import { trainChild } from '../runtime/nasbench/train-job';

serveJob(trainChild);
