/**
 * The optimizer race: several optimizers (torch.optim's exact update rules, float32) descend one 2-D
 * surface together. All runs live in one [N, 2] tensor; each step computes the analytic gradient of
 * every row at once and lets each algorithm update its rows in one batched kernel. The demo freezes
 * runs that leave a box around its view (`bounds`); `trajectory`, the library function, does not
 * unless asked. `step(k)` advances k steps and reads back once. Pure: no React, no DOM.
 */
import { tf } from '../runtime/tf';
import {
  OPTIMIZERS,
  resolveHyper,
  type Hyper,
  type HyperByOptimizer,
  type OptimizerName,
} from './optimizers';
import { getSurface, TensorArith, type Box, type Surface, type SurfaceName, type Vec2 } from './surfaces';
import { algorithmOf, makeKernel, select, type Algorithm, type GroupKernel, type GroupState } from './updates';

export * from './optimizers';
export * from './surfaces';

/** One runner of the race. `hyper` uses torch's keyword names; missing ones take torch's defaults. */
export interface RunSpec<O extends OptimizerName = OptimizerName> {
  optimizer: O;
  hyper?: Hyper<O>;
  /** Start point; defaults to the surface's. */
  start?: Vec2;
}

/** A run as the race holds it: hyper-parameters complete and validated, start rounded to float32. */
export interface ResolvedRun<O extends OptimizerName = OptimizerName> {
  optimizer: O;
  hyper: HyperByOptimizer[O];
  start: [number, number];
}

/** Options of a race. */
export interface RaceOptions {
  /**
   * Runs whose position leaves this box [xmin, xmax, ymin, ymax] (or becomes NaN/±∞) are frozen at
   * their last point and flagged diverged: a display decision (a run far off the plot shows nothing).
   * null: no box, every run follows its update rule wherever it leads, as torch would. Default for a
   * `Race`: the surface's view widened 10× about its centre (what the demo shows); for
   * {@link trajectory}: null.
   */
  bounds?: Box | null;
}

/** What one `step(k)` returns: every run's trajectory over the k new steps. */
export interface RaceFrame {
  /** Number of steps in this frame (k). */
  steps: number;
  /** Steps taken since start or reset, after this frame. */
  t: number;
  /** Runs in the race (N). */
  runs: number;
  /** Positions after each step: [k, N, 2] row-major; step i, run r at ((i·N)+r)·2. */
  positions: Float32Array;
  /** f at those positions: [k, N]; step i, run r at i·N + r. */
  losses: Float32Array;
  /** Per run: frozen because it left the bounds or became non-finite (always false without bounds). */
  diverged: boolean[];
  /** Per run: the step (1-based, since reset) whose result was rejected, or null. */
  divergedAt: (number | null)[];
  /** False when reset() or dispose() ran while this frame was being read back (the race moved on). */
  current: boolean;
}

/** The latest known point of every run (synchronously readable by a view). */
export interface RaceSnapshot {
  t: number;
  /** [N, 2] positions. */
  positions: Float32Array;
  /** [N] losses (at t = 0: f evaluated in double precision, rounded to float32). */
  losses: Float32Array;
  diverged: boolean[];
  divergedAt: (number | null)[];
}

interface Group {
  algorithm: Algorithm;
  /** Indices (in run order) of this group's rows; rows are stored group after group. */
  runs: number[];
  kernel: GroupKernel;
  state: GroupState;
}

/** The default divergence box: the view widened `factor`× about its centre. */
export function widenBox(view: Box, factor = 10): Box {
  const [x0, x1, y0, y1] = view;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = ((x1 - x0) / 2) * factor;
  const hy = ((y1 - y0) / 2) * factor;
  return [cx - hx, cx + hx, cy - hy, cy + hy];
}

/**
 * A race of N runs on one surface. State lives in tfjs tensors; create it when the demo mounts and
 * `dispose()` it on unmount (idempotent). `step(k)` runs synchronously on the device and awaits a
 * single read-back; calls may overlap (each sees the state the previous one left).
 */
export class Race {
  /** The surface being descended. */
  readonly surface: Surface;
  /** The runs, in the order given. */
  readonly runs: readonly ResolvedRun[];
  /** The divergence box, or null when runs are never frozen. */
  readonly bounds: Box | null;

  private readonly groups: Group[];
  /** rowOf[run] = row of that run in the grouped tensors. */
  private readonly rowOf: number[];
  private readonly arith = new TensorArith(true);
  /** Centre and half-size of `bounds`, as [1, 2] rows; null without bounds. */
  private readonly box: { center: tf.Tensor2D; halfExtent: tf.Tensor2D } | null;
  private pos!: tf.Tensor2D;
  private active!: tf.Tensor2D;
  private taken!: tf.Tensor2D;
  private steps = 0;
  private epoch = 0;
  private disposed = false;
  private snap!: RaceSnapshot;

  constructor(surface: Surface | SurfaceName, runs: readonly RunSpec[], options: RaceOptions = {}) {
    this.surface = getSurface(surface);
    if (runs.length === 0) throw new RangeError('a race needs at least one run');
    this.runs = runs.map((r) => {
      if (!OPTIMIZERS[r.optimizer]) throw new RangeError(`unknown optimizer '${String(r.optimizer)}'`);
      const start = r.start ?? this.surface.start;
      if (!start.every(Number.isFinite)) throw new RangeError('start must be finite');
      return {
        optimizer: r.optimizer,
        hyper: resolveHyper(r.optimizer, r.hyper ?? {}),
        start: [Math.fround(start[0]), Math.fround(start[1])],
      };
    });
    this.bounds = options.bounds === undefined ? widenBox(this.surface.view) : options.bounds;
    if (this.bounds) {
      const [x0, x1, y0, y1] = this.bounds;
      if (!(x1 > x0 && y1 > y0)) throw new RangeError('bounds must be [xmin, xmax, ymin, ymax] with min < max');
    }

    const byAlgorithm = new Map<Algorithm, number[]>();
    this.runs.forEach((r, i) => {
      const a = algorithmOf(r.optimizer);
      byAlgorithm.set(a, [...(byAlgorithm.get(a) ?? []), i]);
    });
    this.groups = [...byAlgorithm].map(([algorithm, idx]) => ({
      algorithm,
      runs: idx,
      kernel: makeKernel(algorithm, idx.map((i) => this.runs[i].hyper)),
      state: {},
    }));
    this.rowOf = new Array<number>(this.runs.length);
    let row = 0;
    for (const g of this.groups) for (const i of g.runs) this.rowOf[i] = row++;

    if (this.bounds) {
      const [x0, x1, y0, y1] = this.bounds;
      this.box = {
        center: tf.keep(tf.tensor2d([[(x0 + x1) / 2, (y0 + y1) / 2]])),
        halfExtent: tf.keep(tf.tensor2d([[(x1 - x0) / 2, (y1 - y0) / 2]])),
      };
    } else {
      this.box = null;
    }
    this.init();
  }

  /** Steps taken since start or the last reset. */
  get t(): number {
    return this.steps;
  }

  /** The latest positions, losses and divergence flags (updated when a frame is read back). */
  get snapshot(): RaceSnapshot {
    return this.snap;
  }

  /** Whether dispose() has run. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private init(): void {
    const n = this.runs.length;
    const starts = new Float32Array(n * 2);
    this.runs.forEach((r, i) => starts.set(r.start, this.rowOf[i] * 2));
    this.pos = tf.keep(tf.tensor2d(starts, [n, 2]));
    // Per run, duplicated over x and y so that select needs no broadcast.
    this.active = tf.keep(tf.ones([n, 2], 'bool'));
    this.taken = tf.keep(tf.zeros([n, 2]));
    for (const g of this.groups) g.state = keepAll(g.kernel.init());
    this.steps = 0;
    this.snap = {
      t: 0,
      positions: Float32Array.from(this.runs.flatMap((r) => r.start)),
      losses: Float32Array.from(this.runs.map((r) => this.surface.f(r.start[0], r.start[1]))),
      diverged: this.runs.map(() => false),
      divergedAt: this.runs.map(() => null),
    };
  }

  private release(): void {
    this.pos.dispose();
    this.active.dispose();
    this.taken.dispose();
    for (const g of this.groups) for (const t of Object.values(g.state)) t.dispose();
  }

  /** Back to the start points with fresh optimizer state (t = 0). */
  reset(): void {
    this.assertLive();
    this.release();
    this.epoch++;
    this.init();
  }

  /** Frees every tensor the race owns. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.release();
    for (const g of this.groups) g.kernel.dispose();
    this.arith.dispose();
    this.box?.center.dispose();
    this.box?.halfExtent.dispose();
    this.disposed = true;
    this.epoch++;
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('this race has been disposed');
  }

  /**
   * One optimizer step for all runs; runs inside tf.tidy and returns only new tensors (without bounds,
   * no `active`/`taken`: nothing is ever frozen, so they keep their initial values).
   */
  private advance(t: number) {
    const grad = this.surface.gradient(this.pos, this.arith);
    const sizes = this.groups.map((g) => g.runs.length);
    const single = this.groups.length === 1;
    const ps = single ? [this.pos] : tf.split(this.pos, sizes, 0);
    const gs = single ? [grad] : tf.split(grad, sizes, 0);
    const moved: tf.Tensor[] = [];
    const states: GroupState[] = [];
    this.groups.forEach((g, i) => {
      const r = g.kernel.step(ps[i], gs[i], g.state, t);
      moved.push(r.p);
      states.push(r.s);
    });
    const candidate = (single ? moved[0] : tf.concat(moved, 0)) as tf.Tensor2D;
    if (!this.box) return { pos: candidate, states };
    // |p − c| ≤ h is false for NaN and ±∞ too, so one comparison guards both.
    const inside = tf.all(tf.lessEqual(tf.abs(tf.sub(candidate, this.box.center)), this.box.halfExtent), 1, true);
    // [N, 2] ∧ [N, 1] broadcasts natively: both columns of `active` stay equal, ready for select.
    const active = tf.logicalAnd(this.active, inside) as tf.Tensor2D;
    const pos = select(active, candidate, this.pos) as tf.Tensor2D;
    const taken = tf.add(this.taken, tf.cast(active, 'float32')) as tf.Tensor2D;
    return { pos, active, taken, states };
  }

  /**
   * Advance every run `k` steps (default 1) and read the k new positions, losses and divergence flags
   * back in one transfer.
   */
  async step(k = 1): Promise<RaceFrame> {
    this.assertLive();
    if (!Number.isInteger(k) || k < 1) throw new RangeError('k must be a positive integer');
    const n = this.runs.length;
    const before = this.pos;
    const trail: tf.Tensor2D[] = [];
    for (let i = 0; i < k; i++) {
      const next = tf.tidy(() => this.advance(this.steps + 1));
      this.steps++;
      // Swap in the new state; free the old, except tensors a kernel passed through unchanged.
      this.groups.forEach((g, j) => {
        const fresh = new Set(Object.values(next.states[j]));
        for (const old of Object.values(g.state)) if (!fresh.has(old)) old.dispose();
        g.state = next.states[j];
      });
      if (next.active && next.taken) {
        this.active.dispose();
        this.taken.dispose();
        this.active = next.active;
        this.taken = next.taken;
      }
      this.pos = next.pos;
      trail.push(next.pos);
    }
    const packed = tf.tidy(() => {
      const path = tf.reshape(tf.stack(trail), [k * n, 2]) as tf.Tensor2D;
      const loss = this.surface.value(path, this.arith);
      const status = tf.concat([tf.cast(this.active, 'float32'), this.taken], 1); // [N, 4]
      return tf.concat([tf.reshape(path, [-1]), loss, tf.reshape(status, [-1])]);
    });
    before.dispose();
    for (let i = 0; i < k - 1; i++) trail[i].dispose();
    const epoch = this.epoch;
    const t = this.steps;
    let data: Float32Array;
    try {
      data = (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
    }
    return this.unpack(data, k, t, epoch === this.epoch);
  }

  /** Reorders the packed read-back (grouped rows) into run order. */
  private unpack(data: Float32Array, k: number, t: number, current: boolean): RaceFrame {
    const n = this.runs.length;
    const positions = new Float32Array(k * n * 2);
    const losses = new Float32Array(k * n);
    const lossAt = k * n * 2;
    const statusAt = lossAt + k * n; // per row: active, active, taken, taken
    for (let i = 0; i < k; i++) {
      for (let r = 0; r < n; r++) {
        const row = i * n + this.rowOf[r];
        positions[(i * n + r) * 2] = data[row * 2];
        positions[(i * n + r) * 2 + 1] = data[row * 2 + 1];
        losses[i * n + r] = data[lossAt + row];
      }
    }
    const diverged = this.rowOf.map((row) => data[statusAt + row * 4] === 0);
    const divergedAt = this.rowOf.map((row, r) => (diverged[r] ? data[statusAt + row * 4 + 2] + 1 : null));
    const frame: RaceFrame = { steps: k, t, runs: n, positions, losses, diverged, divergedAt, current };
    if (current) {
      this.snap = {
        t,
        positions: positions.slice((k - 1) * n * 2),
        losses: losses.slice((k - 1) * n),
        diverged,
        divergedAt,
      };
    }
    return frame;
  }
}

function keepAll(s: GroupState): GroupState {
  for (const t of Object.values(s)) tf.keep(t);
  return s;
}

/**
 * The `steps + 1` points [x, y] one optimizer visits on a surface from `start` (start first), with
 * torch's update rule and float32 arithmetic: what torch.optim gives, wherever it leads (even to ±∞ or
 * NaN). With `options.bounds` (as the demo's view has) a run that leaves that box, or becomes
 * non-finite, stays at its last point inside instead. Runs on the same batched machinery as the race
 * (a race of one). Works in Node with nothing set up (see demos/runtime/tf.ts, ensureBackend).
 */
export async function trajectory<O extends OptimizerName>(
  optimizer: O,
  surface: Surface | SurfaceName,
  start: Vec2,
  steps: number,
  hyper?: Hyper<O>,
  options?: RaceOptions,
): Promise<[number, number][]> {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError('steps must be a non-negative integer');
  const race = new Race(surface, [{ optimizer, hyper, start }], { bounds: options?.bounds ?? null });
  try {
    const points: [number, number][] = [[...race.runs[0].start]];
    // Chunks bound the number of positions held on the device before the read-back.
    for (let left = steps; left > 0; ) {
      const k = Math.min(left, 1000);
      const frame = await race.step(k);
      for (let i = 0; i < k; i++) points.push([frame.positions[2 * i], frame.positions[2 * i + 1]]);
      left -= k;
    }
    return points;
  } finally {
    race.dispose();
  }
}
