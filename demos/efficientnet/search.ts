/**
 * The compound-scaling search as a job for a Web Worker (./search.worker.ts): the base network, a grid of
 * (α, β, γ) at φ = 1 under α·β²·γ² ≈ 2, the best candidate scaled to φ = 2, and depth, width and resolution
 * scaled alone at the same multiply-add targets 2 and 4. Every child is trained by ./model.ts's trainChild on
 * the same seeded batches. Pure: runs in Node with a file-backed fetch (unit tests and `npm run reproduce --
 * efficientnet`).
 */
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { JobError, type JobProgress } from '../runtime/jobs/protocol';
import type { JobContext } from '../runtime/jobs/worker';
import type { MnistArrays } from '../runtime/data/idx';
import { bestOf, compound, DEFAULT_TRAIN, pickCandidates, singlePlans, tinyCost, trainChild, type ChildPlan, type SearchResults } from './model';

export interface SearchInput {
  seed: number;
  /** Training steps per child. */
  steps: number;
  /** Grid candidates tried at φ = 1. */
  candidates: number;
  /** Training and test digits (the first of each split); default {@link PAGE_DATA}. */
  data?: { train: number; test: number };
}

export const PAGE_DATA = { train: 2000, test: 500 } as const;
export const LIMITS = { steps: [10, 600], candidates: [1, 12] } as const;

/** The plan before the grid is scored: base, then the grid, then the single-dimension children. */
function firstPlans(k: number): ChildPlan[] {
  return [
    { kind: 'base', phi: 0, scale: { depth: 1, width: 1, resolution: 1 } },
    ...pickCandidates(k).map((coeffs) => ({ kind: 'grid' as const, phi: 1, coeffs, scale: { depth: coeffs.alpha, width: coeffs.beta, resolution: coeffs.gamma } })),
    ...singlePlans([1, 2]),
  ];
}

/** Children trained in a run: base + grid + compound φ = 2 + six single-dimension children. */
export const childCount = (k: number): number => 1 + pickCandidates(k).length + 1 + 6;

export async function* search(input: SearchInput, ctx: Pick<JobContext, 'signal'>, fetchFn: typeof fetch = fetch): AsyncGenerator<JobProgress<SearchResults>, SearchResults, undefined> {
  const { seed, steps, candidates } = input;
  if (!(Number.isInteger(seed) && seed >= 1)) throw new JobError(`The seed must be a whole number ≥ 1 (got ${seed}).`);
  if (!(Number.isInteger(steps) && steps >= LIMITS.steps[0] && steps <= LIMITS.steps[1])) throw new JobError(`Steps per child must be ${LIMITS.steps[0]}…${LIMITS.steps[1]} (got ${steps}).`);
  if (!(Number.isInteger(candidates) && candidates >= LIMITS.candidates[0] && candidates <= LIMITS.candidates[1]))
    throw new JobError(`Grid candidates must be ${LIMITS.candidates[0]}…${LIMITS.candidates[1]} (got ${candidates}).`);
  const data = input.data ?? PAGE_DATA;
  const [train, test]: [MnistArrays, MnistArrays] = await Promise.all([
    loadMnist({ split: 'train', count: data.train, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
    loadMnist({ split: 'test', count: data.test, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
  ]);
  const total = childCount(candidates);
  const results: SearchResults = { kind: 'efficientnet-search', version: 1, settings: { seed, steps, candidates, train: data.train, test: data.test }, children: [], chosen: null, seconds: 0 };
  const snapshot = (): SearchResults => ({ ...results, children: results.children.map((c) => ({ ...c })) });
  const queue = firstPlans(candidates);
  const gridEnd = 1 + pickCandidates(candidates).length;
  for (let trained = 0; queue.length > 0; ) {
    const plan = queue.shift()!;
    const cost = tinyCost(plan.scale);
    const res = await trainChild(plan.scale, { train, test, trainCount: data.train, testCount: data.test }, { ...DEFAULT_TRAIN, steps, seed });
    results.children.push({ ...plan, arch: cost.arch, params: cost.params, macs: cost.macs, ...res });
    results.seconds += res.seconds;
    trained += 1;
    if (trained === gridEnd) {
      // The best grid candidate is the compound network at φ = 1 (the same child: not trained again); φ = 2 next.
      const best = bestOf(results.children)!;
      results.chosen = best.coeffs!;
      results.children.push({ ...best, kind: 'compound', seconds: 0 });
      const c = compound(2, results.chosen);
      queue.unshift({ kind: 'compound', phi: 2, coeffs: results.chosen, scale: { depth: c.depth, width: c.width, resolution: c.resolution } });
    }
    // Pause and cancel land here, between children.
    yield { fraction: trained / total, partial: snapshot() };
  }
  return snapshot();
}
