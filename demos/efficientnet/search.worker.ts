/**
 * The Web Worker that runs ./search.ts for the EfficientNet view, created there with
 * `new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveJob } from '../runtime/jobs/worker';
import { search } from './search';

serveJob(search);
