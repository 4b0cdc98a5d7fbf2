/**
 * The Web Worker that runs the NAS race (./race.ts) for View.tsx, created there with
 * `new Worker(new URL('./race.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveJob } from '../runtime/jobs/worker';
import { nasRace } from './race';

serveJob(nasRace);
