'use client';
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { DemoFrameContext } from './frame';

export type StopReason = 'budget' | 'converged' | 'paused' | null;

export interface LoopOptions {
  /** False when off screen or the tab is hidden: the loop waits without losing its place. */
  active: boolean;
  /** One animation frame of work (may do many optimisation steps); resolve true once converged. */
  frame: () => Promise<boolean | void>;
  /** Frames after which the loop stops by itself (the reader can resume for another budget). */
  budget: number;
  /** Start playing as soon as the demo is active. */
  autoplay?: boolean;
}

/**
 * The demos' animation / training loop: one frame of work per requestAnimationFrame, never two at once,
 * paused while inactive, stopped at convergence or after a budget of frames. A frame that throws stops
 * the loop and goes to the Demo frame's error display (never an unhandled rejection).
 */
export function useLoop({ active, frame, budget, autoplay: wantsAutoplay = false }: LoopOptions) {
  // Readers who ask for reduced motion get no autoplay: the demo waits for Play.
  const [autoplay] = useState(() => wantsAutoplay && !(typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches));
  const [running, setRunning] = useState(autoplay);
  const [frames, setFrames] = useState(0);
  const [stopReason, setStopReason] = useState<StopReason>(null);
  const frameRef = useRef(frame);
  frameRef.current = frame;
  const budgetEnd = useRef(budget);
  const framesRef = useRef(0);
  // Frames run one after another, never overlapping: a Step clicked while the animation's frame is in
  // flight waits for it and then runs, instead of being dropped.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const { onError } = useContext(DemoFrameContext);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  // After unmount a failure is moot (the model is gone, or its backend died and the frame moved on).
  const fail = useCallback((e: unknown) => {
    if (!mounted.current) return;
    setRunning(false);
    onErrorRef.current(e);
  }, []);

  const runOne = useCallback((): Promise<boolean> => {
    const next = queue.current.then(async () => {
      const converged = await frameRef.current();
      framesRef.current += 1;
      setFrames(framesRef.current);
      return converged === true;
    });
    queue.current = next.catch(() => undefined);
    return next;
  }, []);

  useEffect(() => {
    if (!running || !active) return;
    let raf = 0;
    let alive = true;
    const tick = async () => {
      if (!alive) return;
      let converged: boolean;
      try {
        converged = await runOne();
      } catch (e) {
        return fail(e);
      }
      if (!alive) return;
      if (converged) {
        setRunning(false);
        setStopReason('converged');
      } else if (framesRef.current >= budgetEnd.current) {
        setRunning(false);
        setStopReason('budget');
      } else {
        raf = requestAnimationFrame(tick);
      }
    };
    raf = requestAnimationFrame(tick);
    return () => {
      alive = false;
      cancelAnimationFrame(raf);
    };
  }, [running, active, runOne, fail]);

  const play = useCallback(() => {
    if (framesRef.current >= budgetEnd.current) budgetEnd.current = framesRef.current + budget;
    setStopReason(null);
    setRunning(true);
  }, [budget]);
  const pause = useCallback(() => {
    setRunning(false);
    setStopReason('paused');
  }, []);
  const step = useCallback(async () => {
    setRunning(false);
    try {
      await runOne();
    } catch (e) {
      fail(e);
    }
  }, [runOne, fail]);
  /** Forget the frame count (call after resetting the model). */
  const restart = useCallback(
    (play = autoplay) => {
      framesRef.current = 0;
      budgetEnd.current = budget;
      setFrames(0);
      setStopReason(null);
      setRunning(play);
    },
    [autoplay, budget],
  );
  return { running, frames, stopReason, play, pause, step, restart };
}
