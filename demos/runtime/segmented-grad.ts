/**
 * One forward and backward pass through a deep network, cut into segments and spread over calls: a demo that
 * measures gradients on a fixed batch (per-layer gradient norms, the gradient reaching each unit) runs a few
 * segments per frame instead of the whole pass in one long task.
 *
 * A chain of segments h₁ = f₀(h₀, θ₀), …, h_{i+1} = f_i(h_i, θ_i), …, the last one returning a scalar objective E.
 * The forward phase runs the segments in order and stores every boundary h_i; the backward phase runs them in
 * reverse, each differentiated on its own with the gradient arriving at its output (tf.grads with dy, after
 * recomputing that segment's forward), giving ∂E/∂h_i and ∂E/∂θ_i. This is reverse-mode differentiation cut at
 * the boundaries, so the results are the one-shot pass's up to rounding; statistics over the batch inside a
 * segment (batch norm) still see the whole batch. The cost is one extra forward pass.
 *
 * Storage: boundaries, gradients and measurements live in variables that the first pass allocates and later
 * passes of the same shapes reuse (assign), so the number of tensors a run holds does not change from one call
 * to the next, pass or no pass. Pure tfjs: no React, no DOM.
 */
import { tf } from './tf';

/** One segment of the chain. */
export interface ChainSegment {
  /** Its parameters to differentiate (besides its input); may be empty. */
  params: readonly tf.Tensor[];
  /** Its output from its input and `params` (in that order). The last segment returns the scalar objective. */
  apply(h: tf.Tensor, params: tf.Tensor[]): tf.Tensor;
  /** What to keep of its output, computed in the forward phase (a loss from logits, an RMS). */
  forward?(out: tf.Tensor): tf.Tensor;
  /** What to keep of its gradients, ∂E/∂input and ∂E/∂params, computed in the backward phase (norms, an RMS);
   * dIn is empty for the first segment of a pass started with `inputGrad` false. */
  backward?(dIn: tf.Tensor, dParams: tf.Tensor[]): tf.Tensor;
}

/** The measurements of a finished pass, by segment (null where a segment has none). Valid until the next pass. */
export interface ChainResults {
  forward: (tf.Tensor | null)[];
  backward: (tf.Tensor | null)[];
}

export interface SegmentedGrad {
  /** Whether a pass is under way. */
  readonly pending: boolean;
  /** Units of work left in the pending pass (each segment once forward, once backward); 0 when idle. */
  readonly remaining: number;
  /**
   * Starts a pass from `input` through `segments`; both must stay alive (the weights unchanged) until it
   * finishes. `inputGrad` false skips ∂E/∂input of the first segment (when the input is data). Throws while a
   * pass is pending.
   */
  start(input: tf.Tensor, segments: readonly ChainSegment[], options?: { inputGrad?: boolean }): void;
  /**
   * Runs about `units` more units, a backward unit counting `backwardCost` (it recomputes its segment's forward
   * and differentiates it: several forward units' work), until their sum reaches `units`; returns the results
   * when that finished the pass (then idle), else null. {@link callsOfPass} counts the calls a pass takes.
   */
  advance(units: number, backwardCost?: number): ChainResults | null;
  /** Runs every remaining unit at once and returns the results (null when idle). */
  finish(): ChainResults | null;
  /** Frees everything it holds; safe to call twice. */
  dispose(): void;
}

/** A reusable segmented forward/backward pass (see the module comment). */
export function createSegmentedGrad(): SegmentedGrad {
  const slots = new Map<string, tf.Variable>();
  /** Stores `t` under `key`: into the existing variable when the shape and dtype match, else a new one. */
  const put = (key: string, t: tf.Tensor) => {
    const v = slots.get(key);
    if (v && v.dtype === t.dtype && tf.util.arraysEqual(v.shape, t.shape)) v.assign(t);
    else {
      v?.dispose();
      slots.set(key, tf.variable(t, false));
    }
  };
  const get = (key: string): tf.Tensor => slots.get(key)!;
  let pass: { input: tf.Tensor; segments: readonly ChainSegment[]; next: number; inputGrad: boolean } | null = null;
  let disposed = false;

  /** Runs the pass's next unit; false when it had nothing to do (the objective's forward, with nothing to keep). */
  const unit = (p: NonNullable<typeof pass>): boolean => {
    const n = p.segments.length;
    const u = p.next++;
    if (u < n) {
      const s = p.segments[u];
      if (u === n - 1 && !s.forward) return false; // the objective itself is only needed by the backward phase
      const out = s.apply(u === 0 ? p.input : get(`h${u}`), [...s.params]);
      if (u < n - 1) put(`h${u + 1}`, out);
      if (s.forward) put(`f${u}`, s.forward(out));
      return true;
    }
    const i = 2 * n - 1 - u;
    const s = p.segments[i];
    const h = i === 0 ? p.input : get(`h${i}`);
    const dy = i === n - 1 ? undefined : get(`d${i + 1}`);
    const withInput = i > 0 || p.inputGrad;
    const xs = withInput ? [h, ...s.params] : [...s.params];
    const f = withInput ? (x: tf.Tensor, ...ps: tf.Tensor[]) => s.apply(x, ps) : (...ps: tf.Tensor[]) => s.apply(h, ps);
    const grads = xs.length > 0 ? tf.grads(f)(xs, dy) : [];
    const dIn = withInput ? grads[0] : null;
    const dParams = withInput ? grads.slice(1) : grads;
    if (dIn && i > 0) put(`d${i}`, dIn);
    if (s.backward) put(`b${i}`, s.backward(dIn ?? tf.zeros([0]), dParams));
    return true;
  };

  const results = (segments: readonly ChainSegment[]): ChainResults => ({
    forward: segments.map((s, i) => (s.forward ? get(`f${i}`) : null)),
    backward: segments.map((s, i) => (s.backward ? get(`b${i}`) : null)),
  });

  const advance = (units: number, backwardCost = 1): ChainResults | null => {
    if (disposed) throw new Error('segmented gradient used after dispose');
    const p = pass;
    if (!p) return null;
    const want = Math.max(1, Math.floor(units));
    const n = p.segments.length;
    tf.tidy(() => {
      for (let done = 0; done < want && p.next < 2 * n; ) {
        const backward = p.next >= n;
        if (unit(p)) done += backward ? backwardCost : 1;
      }
    });
    if (p.next < 2 * p.segments.length) return null;
    pass = null;
    return results(p.segments);
  };

  return {
    get pending() {
      return pass !== null;
    },
    get remaining() {
      return pass ? 2 * pass.segments.length - pass.next : 0;
    },
    start(input, segments, options = {}) {
      if (disposed) throw new Error('segmented gradient used after dispose');
      if (pass) throw new Error('segmented gradient: a pass is pending');
      if (segments.length === 0) throw new RangeError('segmented gradient: no segments');
      pass = { input, segments, next: 0, inputGrad: options.inputGrad ?? true };
    },
    advance,
    finish: () => advance(Number.MAX_SAFE_INTEGER),
    dispose() {
      if (disposed) return;
      disposed = true;
      pass = null;
      slots.forEach((v) => v.dispose());
      slots.clear();
    },
  };
}

/**
 * Calls of `advance(units, backwardCost)` that a pass takes through `forwardUnits` forward units that do work
 * and then `backwardUnits` backward ones (a chain of n segments whose last one keeps no forward result has
 * n − 1 and n), as advance packs them.
 */
export function callsOfPass(forwardUnits: number, backwardUnits: number, units: number, backwardCost = 1): number {
  const want = Math.max(1, Math.floor(units));
  let calls = 0;
  for (let u = 0; u < forwardUnits + backwardUnits; calls++) {
    for (let done = 0; done < want && u < forwardUnits + backwardUnits; u++) done += u < forwardUnits ? 1 : backwardCost;
  }
  return calls;
}
