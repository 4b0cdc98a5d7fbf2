'use client';
import type { SimulationHandle, StopReason } from '@/demos/ui/useSimulation';
import { useFrame } from '@/demos/ui/frame';

const REASON: Record<Exclude<StopReason, null>, string> = {
  budget: 'Stopped after its step budget',
  converged: 'Converged',
  paused: 'Paused',
};

type Loop = Pick<SimulationHandle<unknown>, 'running' | 'frames' | 'stopReason' | 'play' | 'pause' | 'step' | 'reset'>;

/**
 * Play / pause / step / reset for a demo's simulation, with a status line. Buttons carry data-action so tests
 * and the benchmark drive every demo the same way; data-frames counts completed frames. An embed may hide the
 * buttons (`?controls=` without `play`); the status line stays.
 */
export function Transport({ sim, status, stepLabel = 'Step' }: { sim: Loop; status?: string; stepLabel?: string }) {
  const { shows } = useFrame();
  const resume = sim.stopReason === 'budget' || sim.stopReason === 'converged';
  return (
    <div className="toolbar" data-frames={sim.frames} data-running={sim.running ? '1' : '0'}>
      {shows('play') && (
        <>
          {sim.running ? (
            <button type="button" className="primary" data-action="pause" onClick={sim.pause}>
              Pause
            </button>
          ) : (
            <button type="button" className="primary" data-action="play" onClick={sim.play}>
              {resume ? 'Resume' : 'Play'}
            </button>
          )}
          <button type="button" data-action="step" onClick={() => void sim.step()}>
            {stepLabel}
          </button>
          <button type="button" data-action="reset" onClick={sim.reset}>
            Reset
          </button>
        </>
      )}
      <span className="status-line" aria-live="polite">
        {sim.stopReason && !sim.running ? `${REASON[sim.stopReason]}. ` : ''}
        {status}
      </span>
    </div>
  );
}
