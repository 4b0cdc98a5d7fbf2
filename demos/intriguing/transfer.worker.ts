/**
 * The Web Worker that runs ./transfer.ts for the Intriguing properties view, created there with
 * `new Worker(new URL('./transfer.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveJob } from '../runtime/jobs/worker';
import { transferJob } from './transfer';

serveJob(transferJob);
