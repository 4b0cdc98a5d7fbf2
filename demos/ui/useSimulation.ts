'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { History, StepPacer, type PacerOptions, type Simulation } from '@/demos/runtime/simulation';
import { SimulationProblem } from '@/demos/runtime/jobs/remote-simulation';
import { useFrame } from './frame';
import { tracked } from './debug';
import { useReady } from './useReady';

export type StopReason = 'budget' | 'converged' | 'paused' | null;

export interface SimulationOptions<F> {
  /** Steps after which the run stops by itself; Play then resumes for another budget. */
  budget: number;
  /** Start playing once on screen (never for readers who ask for reduced motion). */
  autoplay?: boolean;
  /** Append what the plots need to the history: called for every frame, with the steps it took (0 at the start). */
  record?: (frame: F, history: History, steps: number) => void;
  /** Stop by itself when this says the run has converged. */
  converged?: (frame: F) => boolean;
  /** Steps per frame: adapted to a time budget per frame (see StepPacer); `max` caps it (read every frame). */
  pace?: PacerOptions;
  /** Steps per click of Step (default 1). */
  stepSize?: number;
  /**
   * False holds the loop as an off-screen frame does: a part of a view below the first screen (`useOnScreen`)
   * plays when the reader gets there, not unseen at load. Step and the first result are not held.
   */
  visible?: boolean;
  /** False while the view still waits for other first results (a loss grid): the frame hears "ready" after both. */
  ready?: boolean;
  /**
   * The model's step(k > 0) only trains and its step(0) evaluates what the view draws (a model whose evaluation for
   * the plots costs about what its steps do): while playing, every frame that stepped is followed by a frame of its
   * own for step(0), so that no frame carries both; Step, Pause and the end of a run take the step(0) at once. Only
   * the step(0) frames are recorded and drawn.
   */
  evaluateApart?: boolean;
}

export interface SimulationHandle<F> {
  /** The newest frame, or null before the first (or when `problem` is set). */
  frame: F | null;
  /** The recorded series; `version` changes whenever they do. */
  history: History;
  version: number;
  /** Steps taken since the last (re)start. */
  steps: number;
  /** Frames completed since the last (re)start (the transport shows it as data-frames). */
  frames: number;
  running: boolean;
  stopReason: StopReason;
  /** `create` refused these parameters (its error message, for the view to show); the demo waits for others. */
  problem: string | null;
  play: () => void;
  pause: () => void;
  step: () => Promise<void>;
  reset: () => void;
}

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * The lifecycle of a demo's model, in one place: create it from the parameters (again whenever any of them
 * changes: no dependency lists), take the first step(0) and report the first result to the frame, run frames
 * while on screen with steps per frame sized to a time budget, stop at the budget or at convergence, record the
 * history cheaply, reset, and dispose — after any step in flight, so a read-back never outlives its tensors.
 * Every model call runs on one queue, one at a time; a failure stops the loop and goes to the frame's error.
 */
export function useSimulation<F, P>(create: (params: P) => Simulation<F>, params: P, options: SimulationOptions<F>): SimulationHandle<F> {
  const { active, onError } = useFrame();
  const key = JSON.stringify(params);
  const latest = useRef({ create, params, options, onError });
  latest.current = { create, params, options, onError };

  const history = useMemo(() => new History(), []);
  const [autoplay] = useState(() => options.autoplay === true && !reducedMotion());
  const [frame, setFrame] = useState<F | null>(null);
  const [version, setVersion] = useState(0);
  const [counts, setCounts] = useState({ steps: 0, frames: 0 });
  const [running, setRunning] = useState(false);
  const [stopReason, setStopReason] = useState<StopReason>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);
  const [first, setFirst] = useState(false);
  const viewReady = options.ready ?? true;
  const visible = options.visible ?? true;
  useReady((first || problem !== null) && viewReady);

  const sim = useRef<Simulation<F> | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const run = useRef({ steps: 0, frames: 0, budgetEnd: options.budget, pacer: new StepPacer(options.pace) });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  /** Runs `op` after everything queued before it; counted in window.__adl.inflight until it settles. */
  const enqueue = useCallback(<T,>(op: () => Promise<T>): Promise<T> => {
    const next = queue.current.then(op);
    queue.current = tracked(next).catch(() => undefined);
    return next;
  }, []);

  const fail = useCallback((e: unknown) => {
    setRunning(false);
    if (!mounted.current) return;
    if (e instanceof SimulationProblem) {
      // A model in a worker refused its parameters: as when a local `create` throws, a message in the view.
      setProblem(e.message);
      setFrame(null);
    } else latest.current.onError(e);
  }, []);

  /** The newest frame the stride left undrawn: shown when the reader pauses (and, paused, every frame is drawn). */
  const undrawn = useRef<F | null>(null);
  /** With evaluateApart: steps were taken since the last step(0), which the next frame owes. */
  const owed = useRef(false);
  const paused = useRef(false);
  const publish = useCallback((f: F) => {
    undrawn.current = null;
    setFrame(f);
    setVersion((v) => v + 1);
    setCounts({ steps: run.current.steps, frames: run.current.frames });
  }, []);

  /**
   * One frame: k steps, then record and publish. Resolves whether the loop may go on. `draw` false (the pacer's
   * stride) records the frame into the history but leaves React alone; the last frame of a run is always drawn.
   */
  const frameOf = useCallback(
    (s: Simulation<F>, k: number, draw = true) =>
      enqueue(async () => {
        if (sim.current !== s) return false;
        const r = run.current;
        const t0 = performance.now();
        const f = await s.step(k);
        if (sim.current !== s) return false; // replaced or unmounted meanwhile: drop the result
        if (k > 0) r.pacer.record(k, performance.now() - t0);
        r.steps += k;
        r.frames += k > 0 ? 1 : 0;
        const o = latest.current.options;
        const apart = o.evaluateApart === true;
        owed.current = apart && k > 0;
        if (!owed.current) o.record?.(f, history, k);
        const stop: StopReason = k === 0 ? null : o.converged?.(f) ? 'converged' : r.steps >= r.budgetEnd ? 'budget' : null;
        if (owed.current) {
          undrawn.current = null; // its drawing comes with the step(0) it owes: the loop's next frame, or at once
          if (stop || paused.current) void frameOf(s, 0).catch(fail); // queued after this one
        } else if (draw || stop || k === 0 || paused.current) publish(f);
        else undrawn.current = f;
        if (!stop) return true;
        setRunning(false);
        setStopReason(stop);
        return false;
      }),
    [enqueue, history, publish, fail],
  );

  // Create (and on any parameter change or reset, re-create), first result, dispose after what is in flight.
  useEffect(() => {
    const { create, params: p, options: o } = latest.current;
    let made: Simulation<F>;
    try {
      made = create(p);
    } catch (e) {
      // Parameters the model refuses (torch's own validation, say): a message in the view, not a crash.
      sim.current = null;
      setProblem(e instanceof Error ? e.message : String(e));
      setFrame(null);
      setRunning(false);
      return;
    }
    setProblem(null);
    sim.current = made;
    undrawn.current = null; // a frame of the model this one replaces is never shown
    owed.current = false;
    history.clear();
    run.current = { steps: 0, frames: 0, budgetEnd: o.budget, pacer: new StepPacer(o.pace) };
    setCounts({ steps: 0, frames: 0 });
    setStopReason(null);
    setRunning(autoplay);
    frameOf(made, 0).then(() => sim.current === made && setFirst(true), fail);
    return () => {
      if (sim.current === made) sim.current = null;
      void enqueue(async () => made.dispose());
    };
  }, [key, nonce, autoplay, history, enqueue, frameOf, fail]);

  // The animation loop: one frame per animation frame while running and on screen.
  useEffect(() => {
    if (!running || !active || !visible) return;
    // A run that has stepped starts again cold (see StepPacer.resume); a fresh one starts at the pace's `initial`.
    if (run.current.steps > 0) run.current.pacer.resume();
    let alive = true;
    let raf = 0;
    const tick = () => {
      const s = sim.current;
      if (!alive || !s) return;
      const r = run.current;
      // A frame of a model that was replaced meanwhile (a parameter changed during play) reports "no more"; the loop
      // goes on with the new model, which the same `running` still asks for.
      const next = (more: boolean) => {
        const replaced = sim.current !== null && sim.current !== s;
        if (alive && (more || replaced)) raf = requestAnimationFrame(tick);
      };
      if (owed.current) {
        frameOf(s, 0).then(next, fail); // evaluateApart: this frame evaluates the steps the previous one took
        return;
      }
      const draw = r.pacer.draw();
      if (draw && r.pacer.stride() > 1 && undrawn.current) {
        // Drawing is what overran (the stride is up): this frame only draws the newest result; the others step.
        publish(undrawn.current);
        raf = requestAnimationFrame(tick);
        return;
      }
      const cap = latest.current.options.pace?.max ?? Infinity; // read live: a speed control moves it mid-run
      const k = Math.max(1, Math.min(r.pacer.next(), cap, r.budgetEnd - r.steps));
      frameOf(s, k, draw).then(next, fail);
    };
    raf = requestAnimationFrame(tick);
    // The heartbeat: display frames as the reader sees them, for the pacer's budget (StepPacer.frame).
    let beat = 0;
    let last = -1;
    const heartbeat = (t: number) => {
      if (last >= 0) run.current.pacer.frame(t - last);
      last = t;
      if (alive) beat = requestAnimationFrame(heartbeat);
    };
    beat = requestAnimationFrame(heartbeat);
    return () => {
      alive = false;
      cancelAnimationFrame(raf);
      cancelAnimationFrame(beat);
    };
  }, [running, active, visible, frameOf, fail, publish]);

  const play = useCallback(() => {
    const r = run.current;
    if (r.steps >= r.budgetEnd) r.budgetEnd = r.steps + latest.current.options.budget;
    paused.current = false;
    setStopReason(null);
    setRunning(true);
  }, []);
  const pause = useCallback(() => {
    setRunning(false);
    setStopReason('paused');
    paused.current = true;
    if (undrawn.current) publish(undrawn.current);
    const s = sim.current;
    if (owed.current && s) void frameOf(s, 0).catch(fail); // (a frame in flight sees `paused` itself)
  }, [publish, frameOf, fail]);
  const step = useCallback(async () => {
    setRunning(false);
    paused.current = true;
    const s = sim.current;
    if (!s) return;
    await frameOf(s, latest.current.options.stepSize ?? 1).catch(fail);
  }, [frameOf, fail]);
  const reset = useCallback(() => setNonce((n) => n + 1), []);

  return { frame, history, version, steps: counts.steps, frames: counts.frames, running, stopReason, problem, play, pause, step, reset };
}
