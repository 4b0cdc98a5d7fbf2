/**
 * The race as the kit's Simulation, what each frame adds to the history, when it stops by itself, and each
 * runner's torch keyword arguments from the flat URL table: pure, tested in Node (race.test.ts).
 */
import type { History, Simulation } from '../runtime/simulation';
import { OPTIMIZERS, Race, setControlValue, type Hyper, type OptimizerName, type RunSpec, type SurfaceName } from './model';
import { hyperKey } from './params';

/** What one frame of the race adds: `count` new points per run (steps × runs, row-major), and the divergences. */
export interface Update {
  t: number;
  count: number;
  runs: number;
  positions: Float32Array;
  losses: Float32Array;
  diverged: boolean[];
  divergedAt: (number | null)[];
}

export function simulateRace({ surface, runs }: { surface: SurfaceName; runs: RunSpec[] }): Simulation<Update> {
  const race = new Race(surface, runs); // throws torch's own message for bad hyper-parameters: shown by the view
  return {
    async step(k) {
      if (k === 0) return { ...race.snapshot, count: 1, runs: runs.length };
      const f = await race.step(k);
      return { ...f, count: f.current ? f.steps : 0 };
    },
    dispose: () => race.dispose(),
  };
}

/** Each run's path and loss, up to the step where it left the divergence box. */
export function recordRace(f: Update, h: History) {
  for (let s = 0; s < f.count; s++) {
    for (let i = 0; i < f.runs; i++) {
      const at = f.divergedAt[i];
      if (at !== null && f.t - f.count + s + 1 >= at) continue;
      const k = s * f.runs + i;
      h.push(`xy${i}`, f.positions[2 * k], f.positions[2 * k + 1]);
      h.push(`loss${i}`, f.losses[k]);
    }
  }
}

/** Converged when every run has diverged or stopped moving. */
export function raceOver(f: Update): boolean {
  if (f.count < 2) return false;
  return f.diverged.every((d, i) => {
    if (d) return true;
    const a = ((f.count - 1) * f.runs + i) * 2;
    const b = ((f.count - 2) * f.runs + i) * 2;
    return Math.hypot(f.positions[a] - f.positions[b], f.positions[a + 1] - f.positions[b + 1]) < 1e-7;
  });
}

/** torch keyword arguments of every selected optimizer, from the flat URL table (`adam.lr`, `adam.betas1`, …). */
export function runSpecs(opts: readonly OptimizerName[], h: Record<string, unknown>, start: [number, number]): RunSpec[] {
  return opts.map((o): RunSpec => {
    let hyper: Hyper = {};
    for (const c of OPTIMIZERS[o].controls) hyper = setControlValue(o, hyper, c, h[hyperKey(o, c)] as number | boolean);
    return { optimizer: o, hyper, start };
  });
}
