/**
 * The Web Worker that runs ./evaluate.ts for Evaluate.tsx, created there with
 * `new Worker(new URL('./evaluate.worker.ts', import.meta.url), { type: 'module' })` (the bundler builds it as
 * its own script, with its own copy of tfjs: the page's main thread stays free).
 */
import { serveJob } from '../runtime/jobs/worker';
import { evaluate } from './evaluate';

serveJob(evaluate);
