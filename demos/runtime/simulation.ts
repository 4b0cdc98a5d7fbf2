/**
 * What a training or animated demo's model is to the demo kit (demos/ui/useSimulation.ts), and the two pure
 * pieces of the kit's loop: the series it records and the pacer that sizes each frame's work. No React, no DOM.
 */

/** A demo's model as the kit drives it. Reset is dispose and create again with the same parameters (and seed). */
export interface Simulation<F> {
  /** Advance `k` steps (k = 0: only report the current state) and resolve with what the view draws. */
  step(k: number): Promise<F>;
  /** Free every tensor; called once, after any step in flight has settled. */
  dispose(): void;
}

/**
 * Append-only numeric series in growable typed arrays: amortised O(1) per value, where copying a JS array into
 * React state every frame is O(n) per frame and quadratic over a run. `values()` is a view, not a copy.
 */
export class Series {
  private buf = new Float64Array(256);
  private n = 0;

  get length(): number {
    return this.n;
  }
  push(...values: number[]): void {
    if (this.n + values.length > this.buf.length) {
      const bigger = new Float64Array(Math.max(2 * this.buf.length, this.n + values.length));
      bigger.set(this.buf.subarray(0, this.n));
      this.buf = bigger;
    }
    for (const v of values) this.buf[this.n++] = v;
  }
  /** The values so far (a view: valid until the next push; a new object each call, so props see a change). */
  values(): Float64Array {
    return this.buf.subarray(0, this.n);
  }
  /** The i-th value from the end (0: the last), or NaN when there is none. */
  last(i = 0): number {
    return i < this.n ? this.buf[this.n - 1 - i] : NaN;
  }
  clear(): void {
    this.n = 0;
  }
}

/** Named series, made on first use: `h.push('train', loss)`, `h.get('train').values()`. */
export class History {
  private map = new Map<string, Series>();

  get(name: string): Series {
    let s = this.map.get(name);
    if (!s) this.map.set(name, (s = new Series()));
    return s;
  }
  push(name: string, ...values: number[]): void {
    this.get(name).push(...values);
  }
  values(name: string): Float64Array {
    return this.get(name).values();
  }
  clear(): void {
    for (const s of this.map.values()) s.clear();
  }
}

export interface PacerOptions {
  /** Most milliseconds of work per animation frame to aim for (the rest of a 16.7 ms frame is React, drawing, paint). */
  targetMs?: number;
  /** Steps per frame at the start, before any measurement. */
  initial?: number;
  min?: number;
  max?: number;
}

/** A display frame longer than this many vsync intervals missed one: the page stuttered. */
const MISSED = 1.5;
/**
 * After a missed frame the work budget shrinks to SHRINK of itself. Smooth frames win it back quickly (1/FAST of the
 * target a frame) up to CAUTION of the budget at the last miss, then slowly (1/SLOW a frame): so when the work would
 * fill any budget, a miss comes about once in 60 frames (10 fast + 50 slow), well inside a p95.
 */
const SHRINK = 0.7;
const FAST = 50;
const SLOW = 500;
const CAUTION = 0.9;
/** Misses fewer than BURST smooth frames apart belong to one burst. */
const BURST = 10;
/** The budget never falls below this share of the target: a busy machine's missed frames are not all ours to fix. */
const FLOOR = 0.25;
/**
 * A frame that misses with the budget at or below STRIDE_AT of the target says that drawing, not stepping, is too
 * slow: draw only every stride-th frame, at most MAX_STRIDE (15 drawings a second at 60 Hz), raised at most once per
 * STRIDE_HOLD frames.
 */
const STRIDE_AT = 0.5;
const MAX_STRIDE = 4;
const STRIDE_HOLD = 30;
const STRIDE_RECOVER = 300;

/**
 * Steps per frame from measured cost: after each frame, `record(steps, ms)`; `next()` gives the number of steps
 * that fit the time budget. The cost per step is a moving average; growth is at most ×2 per frame (a cold first
 * step is slow, a warm one fast), and a slow frame shrinks the next at once.
 *
 * The budget itself follows what the reader sees: `frame(ms)` reports the interval between display frames (an
 * independent requestAnimationFrame heartbeat, so a backend that waits on the GPU, leaving the main thread free,
 * is not mistaken for a stutter). A frame that missed a vsync shrinks the budget by SHRINK; smooth frames grow it
 * back, fast to just under where the last miss happened and slowly past it, up to `targetMs`. So the work fits
 * whatever React, the drawing and the paint leave on this device, whose cost the pacer never measures directly,
 * and a missed frame stays rare.
 *
 * When frames still miss with the budget at half the target or less, drawing itself (React, the canvases, layout
 * and paint of a long page) is most of a frame: `draw()` then says to draw only every `stride()`-th frame (at most
 * MAX_STRIDE); the loop steps on the frames in between and only draws on that one, and the stride comes down again
 * after STRIDE_RECOVER smooth frames.
 */
export class StepPacer {
  private readonly targetMs: number;
  private readonly min: number;
  private readonly max: number;
  private k: number;
  private msPerStep = NaN;
  private budgetMs: number;
  /** The budget when frames last missed: recovery slows just below it. */
  private ceilingMs: number;
  /** The display's frame interval: the shortest seen (60 Hz until one is). */
  private vsyncMs = 1000 / 60;
  private strideN = 1;
  /** Display frames since the stride last changed, and smooth ones since the last miss. */
  private sinceStride = 0;
  private smooth = 0;
  private loopFrames = 0;

  constructor({ targetMs = 8, initial = 1, min = 1, max = 1000 }: PacerOptions = {}) {
    if (!(min >= 1 && max >= min)) throw new RangeError(`pacer: need 1 ≤ min ≤ max, got ${min}, ${max}`);
    this.targetMs = targetMs;
    this.budgetMs = targetMs;
    this.ceilingMs = targetMs;
    this.min = min;
    this.max = max;
    this.k = Math.min(max, Math.max(min, Math.round(initial)));
  }
  /**
   * The loop starts again (Play after a pause, the demo back on screen): the next frame takes `min` steps, and
   * record() grows them back (×2 a frame). Steps after a pause are cold, several times the cost measured before it:
   * the optimizer race's first frame of its 7 steps took 50–80 ms on wasm, a long task, where one step fits a frame.
   */
  resume(): void {
    this.k = this.min;
  }
  next(): number {
    return this.k;
  }
  /** The current work budget per frame, in milliseconds (≤ targetMs). */
  budget(): number {
    return this.budgetMs;
  }
  /** Display frames per drawn frame (1: every frame is drawn). */
  stride(): number {
    return this.strideN;
  }
  /** Asked once per loop frame: whether to draw this one's result (every stride-th). */
  draw(): boolean {
    return this.loopFrames++ % this.strideN === 0;
  }
  /** One display frame's interval, in milliseconds. */
  frame(intervalMs: number): void {
    if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) return;
    this.vsyncMs = Math.min(this.vsyncMs, Math.max(intervalMs, 4)); // ≤ 250 Hz; a timer's jitter is no display
    this.sinceStride++;
    if (intervalMs > MISSED * this.vsyncMs) {
      // A burst of misses (a GC, a scroll) keeps the burst's highest budget as the ceiling, not its last.
      this.ceilingMs = this.smooth < BURST ? Math.max(this.ceilingMs, this.budgetMs) : this.budgetMs;
      this.smooth = 0;
      const floor = FLOOR * this.targetMs;
      if (this.budgetMs <= STRIDE_AT * this.targetMs && this.strideN < MAX_STRIDE && this.sinceStride >= STRIDE_HOLD) {
        this.strideN++;
        this.sinceStride = 0;
      }
      this.budgetMs = Math.max(floor, this.budgetMs * SHRINK);
      if (this.msPerStep > 0) this.k = Math.min(this.k, Math.max(this.min, Math.floor(this.budgetMs / this.msPerStep)));
    } else {
      this.smooth++;
      const gain = this.budgetMs < CAUTION * this.ceilingMs ? FAST : SLOW;
      this.budgetMs = Math.min(this.targetMs, this.budgetMs + this.targetMs / gain);
      if (this.strideN > 1 && this.smooth >= STRIDE_RECOVER) {
        this.strideN--;
        this.smooth = 0;
        this.sinceStride = 0;
      }
    }
  }
  record(steps: number, ms: number): void {
    if (!(steps > 0) || !(ms >= 0)) return;
    const per = Math.max(ms, 0.01) / steps;
    this.msPerStep = Number.isNaN(this.msPerStep) ? per : 0.7 * this.msPerStep + 0.3 * Math.max(per, 0.5 * this.msPerStep);
    const fit = Math.floor(this.budgetMs / (ms > 2 * this.budgetMs ? per : this.msPerStep));
    this.k = Math.min(this.max, Math.max(this.min, Math.min(2 * this.k, fit)));
  }
}

/**
 * Resolves in a new task: work after `await nextTask()` no longer holds the page's current one, so a long
 * piece of work cut in parts leaves the page responsive between them.
 */
export function nextTask(): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}
