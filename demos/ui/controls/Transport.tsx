'use client';
import type { StopReason } from '@/demos/ui/useLoop';

interface LoopLike {
  running: boolean;
  frames: number;
  stopReason: StopReason;
  play: () => void;
  pause: () => void;
  step: () => Promise<void>;
}

const REASON: Record<Exclude<StopReason, null>, string> = {
  budget: 'Stopped after its step budget',
  converged: 'Converged',
  paused: 'Paused',
};

/**
 * Play / pause / step / reset for a demo's loop, with a status line. Buttons carry data-action so
 * tests and the benchmark drive every demo the same way; data-frames counts completed frames.
 */
export function Transport({ loop, onReset, status, stepLabel = 'Step' }: { loop: LoopLike; onReset: () => void; status?: string; stepLabel?: string }) {
  const resume = loop.stopReason === 'budget' || loop.stopReason === 'converged';
  return (
    <div className="toolbar" data-frames={loop.frames} data-running={loop.running ? '1' : '0'}>
      {loop.running ? (
        <button type="button" className="primary" data-action="pause" onClick={loop.pause}>
          Pause
        </button>
      ) : (
        <button type="button" className="primary" data-action="play" onClick={loop.play}>
          {resume ? 'Resume' : 'Play'}
        </button>
      )}
      <button type="button" data-action="step" onClick={() => void loop.step()}>
        {stepLabel}
      </button>
      <button type="button" data-action="reset" onClick={onReset}>
        Reset
      </button>
      <span className="status-line" aria-live="polite">
        {loop.stopReason && !loop.running ? `${REASON[loop.stopReason]}. ` : ''}
        {status}
      </span>
    </div>
  );
}
