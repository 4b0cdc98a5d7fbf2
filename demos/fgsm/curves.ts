/**
 * Error against ε over test digits, for the shipped `cnn` and the adversarially trained `cnn-adv`, under FGSM and
 * PGD: a job for a Web Worker (./curves.worker.ts). Models and digits are loaded as the page loads them; each
 * cell (network × attack × ε) is scored by attackRange (runtime/models/attacks.ts), the function behind
 * `npm run reproduce -- fgsm`. Pure: no React, no DOM; runs in Node with a file-backed fetch.
 */
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import { attackRange, type AttackSpec } from '../runtime/models/attacks';
import { JobError, type JobProgress } from '../runtime/jobs/protocol';
import type { JobContext } from '../runtime/jobs/worker';
import { curvePgd } from './model';
import { formatInt } from '../runtime/format';

/** The networks compared, in the order of the result's arrays. */
export const CURVE_MODELS = ['cnn', 'cnn-adv'] as const;
/** The attacks compared, in the order of the result's arrays. */
export const CURVE_ATTACKS = ['fgsm', 'pgd'] as const;
/** The ε of the curves (pixels in [0, 1]). */
export const CURVE_EPSILONS = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3] as const;
export const MAX_DIGITS = 10_000;

export interface CurvesInput {
  /** The first `count` test digits, 1…10,000. */
  count: number;
  /** PGD's steps (its step size is 2.5·ε/steps). */
  steps: number;
  /** Default {@link CURVE_EPSILONS}. */
  epsilons?: number[];
}

/** The curves so far. Cell (m, a, e) is at index (m·2 + a)·E + e (m: network, a: attack, e: ε). */
export interface CurvesProgress {
  epsilons: number[];
  /** Digits attacked, and how many of them the network then got wrong, per cell. */
  counts: Uint32Array;
  wrong: Uint32Array;
  total: number;
}

/** Index of cell (network m, attack a, ε number e). */
export function cell(m: number, a: number, e: number, nEps: number): number {
  return (m * CURVE_ATTACKS.length + a) * nEps + e;
}

/** The error rates of one curve (digits wrong / digits attacked; NaN where none yet). */
export function curve(p: CurvesProgress, m: number, a: number): number[] {
  const E = p.epsilons.length;
  return p.epsilons.map((_, e) => {
    const k = cell(m, a, e, E);
    return p.counts[k] === 0 ? NaN : p.wrong[k] / p.counts[k];
  });
}

/** Digits per chunk; every cell gets each chunk before the next, so all curves fill in together. */
const FIRST_CHUNK = 10;
const CHUNK = 50;

/** The job: yields after every cell of every chunk, returns the full tallies. */
export async function* curves(
  input: CurvesInput,
  ctx: Pick<JobContext, 'signal'>,
  fetchFn: typeof fetch = fetch,
): AsyncGenerator<JobProgress<CurvesProgress>, CurvesProgress, undefined> {
  const { count, steps } = input;
  const epsilons = input.epsilons ?? [...CURVE_EPSILONS];
  if (!Number.isInteger(count) || count < 1 || count > MAX_DIGITS) throw new JobError(`Choose between 1 and ${formatInt(MAX_DIGITS)} test digits (got ${count}).`);
  if (!Number.isInteger(steps) || steps < 1 || steps > 100) throw new JobError(`PGD needs 1 to 100 steps (got ${steps}).`);
  if (epsilons.length === 0 || epsilons.some((e) => !(e >= 0 && e <= 1))) throw new JobError('Each ε must lie in [0, 1].');
  const [test, ...loaded] = await Promise.all([
    loadMnist({ split: 'test', count, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
    ...CURVE_MODELS.map((name) => loadModel(name, { baseUrl: MODELS_BASE_URL, fetch: fetchFn, signal: ctx.signal })),
  ]);
  const models = loaded.map((l) => l.model);
  try {
    const E = epsilons.length;
    const cells = CURVE_MODELS.length * CURVE_ATTACKS.length * E;
    const counts = new Uint32Array(cells);
    const wrong = new Uint32Array(cells);
    const now = (): CurvesProgress => ({ epsilons, counts: counts.slice(), wrong: wrong.slice(), total: count });
    yield { fraction: 0, partial: now() };
    let doneCells = 0;
    for (let start = 0, size = FIRST_CHUNK; start < count; start += size, size = CHUNK) {
      const end = Math.min(start + size, count);
      for (let m = 0; m < models.length; m++) {
        for (let a = 0; a < CURVE_ATTACKS.length; a++) {
          for (let e = 0; e < E; e++) {
            const spec: AttackSpec = CURVE_ATTACKS[a] === 'fgsm' ? { kind: 'fgsm', epsilon: epsilons[e] } : curvePgd(epsilons[e], steps);
            const t = await attackRange(models[m], test, start, end, spec);
            const k = cell(m, a, e, E);
            counts[k] += t.count;
            wrong[k] += t.wrong;
            doneCells += t.count;
            yield { fraction: doneCells / (cells * count), partial: now() };
          }
        }
      }
    }
    return now();
  } finally {
    for (const m of models) m.dispose();
  }
}
