/**
 * Searches on the benchmark's table, shared by the evolution and NAS demos and the reproduce script: every
 * "training" is a lookup, so hundreds of trials over many seeds take milliseconds. A run proposes one cell
 * per call of next(); what it proposes depends only on its seed and on the accuracies it has looked up.
 * Also: best-so-far curves, quantiles over seeds, and the JSON export / import of a set of runs. REINFORCE's
 * controllers are in ./controller.ts (tfjs) and the comparison of all methods in ./compare.ts.
 */
import { mulberry32, type Rng } from '../random';
import { mutations, SPACE_SIZE } from './space';

/** What a search sees of the benchmark: each cell's validation accuracy (the reward) and test accuracy. */
export interface Lookup {
  val: ArrayLike<number>;
  test: ArrayLike<number>;
}

/** The search methods of the two pages. */
export const METHODS = ['aging', 'nonaging', 'random', 'reinforce'] as const;
export type Method = (typeof METHODS)[number];
export const METHOD_LABELS: Record<Method, string> = {
  aging: 'aging evolution',
  nonaging: 'non-aging evolution',
  random: 'random search',
  reinforce: 'REINFORCE',
};

/** A search: proposes the next cell to "train"; `trials` lists every cell proposed so far, in order. */
export interface SearchRun {
  readonly method: Method;
  readonly seed: number;
  readonly trials: number[];
  next(): number;
}

/** Seed of run `r` of a batch started from `seed`: distinct streams for distinct (seed, r). */
export function runSeed(seed: number, r: number): number {
  return (Math.imul(seed, 0x9e3779b1) + Math.imul(r + 1, 0x85ebca6b)) >>> 0;
}

/** A uniformly random cell. */
export function randomCell(rng: Rng): number {
  return Math.floor(rng() * SPACE_SIZE);
}

/** Random search: every trial a uniformly random cell. */
export class RandomRun implements SearchRun {
  readonly method = 'random' as const;
  readonly trials: number[] = [];
  private rng: Rng;
  constructor(readonly seed: number) {
    this.rng = mulberry32(seed);
  }
  next(): number {
    const c = randomCell(this.rng);
    this.trials.push(c);
    return c;
  }
}

/** Settings of regularized evolution. */
export interface EvolutionConfig {
  /** Population size P. */
  population: number;
  /** Tournament size S (≤ P). */
  sample: number;
  /** True: the oldest member dies after each child (aging, Real et al. 2019); false: the worst dies. */
  aging: boolean;
}

/**
 * Regularized evolution (Real et al. 2019, Algorithm 1) on the table: the first P trials are random cells;
 * then each trial samples S members of the population uniformly (with replacement, as their algorithm
 * draws "a random element" S times), mutates the one with the best validation accuracy (one operation or
 * one width, uniformly among ./space.ts `mutations`), adds the child, and removes the oldest member
 * (aging) or the one with the worst validation accuracy (non-aging; ties: the oldest of them).
 */
export class EvolutionRun implements SearchRun {
  readonly method: Method;
  readonly trials: number[] = [];
  /** The living members as trial numbers (indices into `trials`), oldest first. */
  readonly population: number[] = [];
  private rng: Rng;
  constructor(
    private table: Lookup,
    readonly config: EvolutionConfig,
    readonly seed: number,
  ) {
    const { population: P, sample: S } = config;
    if (!(Number.isInteger(P) && P >= 2)) throw new RangeError(`evolution: population P must be an integer ≥ 2, got ${P}`);
    if (!(Number.isInteger(S) && S >= 1 && S <= P)) throw new RangeError(`evolution: sample size S must be an integer in [1, P = ${P}], got ${S}`);
    this.method = config.aging ? 'aging' : 'nonaging';
    this.rng = mulberry32(seed);
  }
  next(): number {
    const { population: P, sample: S, aging } = this.config;
    const val = this.table.val;
    let child: number;
    if (this.trials.length < P) {
      child = randomCell(this.rng);
    } else {
      let parent = -1;
      for (let k = 0; k < S; k++) {
        const m = this.population[Math.floor(this.rng() * this.population.length)];
        if (parent < 0 || val[this.trials[m]] > val[this.trials[parent]]) parent = m;
      }
      const options = mutations(this.trials[parent]);
      child = options[Math.floor(this.rng() * options.length)];
    }
    this.trials.push(child);
    this.population.push(this.trials.length - 1);
    if (this.population.length > P) {
      let dead = 0;
      if (!aging) for (let k = 1; k < this.population.length; k++) if (val[this.trials[this.population[k]]] < val[this.trials[this.population[dead]]]) dead = k;
      this.population.splice(dead, 1);
    }
    return child;
  }
}

/** Replays a recorded list of trials (an imported file) as a run. */
export class ReplayRun implements SearchRun {
  readonly trials: number[] = [];
  constructor(
    readonly method: Method,
    readonly seed: number,
    private recorded: readonly number[],
  ) {}
  next(): number {
    if (this.trials.length >= this.recorded.length) throw new RangeError(`replay: the file holds only ${this.recorded.length} trials of this run`);
    const c = this.recorded[this.trials.length];
    this.trials.push(c);
    return c;
  }
}

/** The best trial so far of a run, chosen by validation accuracy (ties: the earlier). */
export interface Best {
  cell: number;
  val: number;
  /** The chosen cell's test accuracy (what the search reports; it never looks at it). */
  test: number;
  trial: number;
}

/** The best of `trials[0..upto)` by validation accuracy. */
export function bestSoFar(table: Lookup, trials: readonly number[], upto = trials.length): Best | null {
  let best: Best | null = null;
  for (let t = 0; t < Math.min(upto, trials.length); t++) {
    const c = trials[t];
    if (best === null || table.val[c] > best.val) best = { cell: c, val: table.val[c], test: table.test[c], trial: t };
  }
  return best;
}

/** The q-quantile (0…1) of `xs` by linear interpolation between order statistics (numpy's default). */
export function quantile(xs: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(xs).sort();
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Mean and (population) standard deviation. */
export function meanStd(xs: ArrayLike<number>): { mean: number; std: number } {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i] / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i] - m) ** 2 / n;
  return { mean: m, std: Math.sqrt(v) };
}

/** The cells with the highest validation and the highest test accuracy: the space's true optimum. */
export function optimum(table: Lookup): { bestValCell: number; val: number; testOfBestVal: number; bestTest: number } {
  let b = 0;
  let bestTest = 0;
  for (let i = 0; i < table.val.length; i++) {
    if (table.val[i] > table.val[b]) b = i;
    bestTest = Math.max(bestTest, table.test[i]);
  }
  return { bestValCell: b, val: table.val[b], testOfBestVal: table.test[b], bestTest };
}

/** Median and interquartile band over runs of one method, and the runs' best validation values. */
export interface Spread {
  q1: number;
  median: number;
  q3: number;
}

/** The spread over `runs` of their best validation accuracy so far (each run's trials up to its length). */
export function spreadOfBest(table: Lookup, runs: readonly SearchRun[], key: 'val' | 'test' = 'val'): Spread {
  const xs = runs.map((r) => bestSoFar(table, r.trials)?.[key] ?? NaN).filter(Number.isFinite);
  return { q1: quantile(xs, 0.25), median: quantile(xs, 0.5), q3: quantile(xs, 0.75) };
}

// ---- export / import ----------------------------------------------------------------------------------------

/** The `format` field of an exported search file. */
export const SEARCH_FORMAT = 'adl-nas-search';

/** An exported set of runs: enough to replay every trial and redraw every curve. */
export interface SearchExport {
  format: typeof SEARCH_FORMAT;
  version: 1;
  /** The demo that wrote it ('evolution' or 'nas'). */
  demo: string;
  /** SHA-256 of the benchmark file the runs looked up (a file from another benchmark is refused). */
  benchmark: string;
  /** The demo's parameters when it was exported (its URL state). */
  params: Record<string, unknown>;
  runs: { method: Method; seed: number; trials: number[] }[];
}

/** Builds the export of `runs`. */
export function exportRuns(demo: string, benchmark: string, params: Record<string, unknown>, runs: readonly Pick<SearchRun, 'method' | 'seed' | 'trials'>[]): SearchExport {
  return { format: SEARCH_FORMAT, version: 1, demo, benchmark, params: { ...params }, runs: runs.map((r) => ({ method: r.method, seed: r.seed, trials: r.trials.slice() })) };
}

/** A file the reader imported is not a valid export: the message says why, for the demo's frame. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/**
 * Parses and checks an exported file's text for `demo` on the benchmark whose SHA-256 is `benchmark`: JSON, the
 * format and version, the demo, the benchmark, known methods, integer seeds, trials that are cells of the
 * space, and every run of one method equally long. Throws an ImportError saying what is wrong.
 */
export function importRuns(text: string, demo: string, benchmark: string, methods: readonly Method[] = METHODS): SearchExport {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    throw new ImportError('This file is not JSON: export a search from this page and import that file.');
  }
  const o = x as Partial<SearchExport> | null;
  if (typeof o !== 'object' || o === null || o.format !== SEARCH_FORMAT) throw new ImportError(`This JSON is not a search export (its "format" is not "${SEARCH_FORMAT}").`);
  if (o.version !== 1) throw new ImportError(`Unknown export version ${JSON.stringify(o.version)} (this page reads version 1).`);
  if (o.demo !== demo) throw new ImportError(`This file was exported by the "${String(o.demo)}" demo, not by this one ("${demo}").`);
  if (o.benchmark !== benchmark) throw new ImportError('This file was made on another version of the benchmark (its SHA-256 differs): its trials would look up other accuracies.');
  if (typeof o.params !== 'object' || o.params === null) throw new ImportError('The file has no "params".');
  if (!Array.isArray(o.runs) || o.runs.length === 0) throw new ImportError('The file holds no runs.');
  const lengths = new Map<string, number>();
  o.runs.forEach((r, i) => {
    if (typeof r !== 'object' || r === null) throw new ImportError(`Run ${i + 1} is not an object.`);
    if (!methods.includes(r.method)) throw new ImportError(`Run ${i + 1}: unknown method ${JSON.stringify(r.method)} (expected one of ${methods.join(', ')}).`);
    if (!Number.isInteger(r.seed)) throw new ImportError(`Run ${i + 1}: its seed must be an integer.`);
    if (!Array.isArray(r.trials) || r.trials.length === 0) throw new ImportError(`Run ${i + 1}: "trials" must be a non-empty list of cells.`);
    const bad = r.trials.findIndex((c) => !Number.isInteger(c) || c < 0 || c >= SPACE_SIZE);
    if (bad >= 0) throw new ImportError(`Run ${i + 1}, trial ${bad + 1}: ${JSON.stringify(r.trials[bad])} is not a cell of the space (0…${SPACE_SIZE - 1}).`);
    const len = lengths.get(r.method);
    if (len !== undefined && len !== r.trials.length) throw new ImportError(`The ${METHOD_LABELS[r.method]} runs differ in length (${len} and ${r.trials.length} trials).`);
    lengths.set(r.method, r.trials.length);
  });
  return o as SearchExport;
}
