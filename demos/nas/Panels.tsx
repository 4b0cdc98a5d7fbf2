'use client';
import { DECISIONS } from '../runtime/nasbench/space';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import type { NasFrame } from './model';
import type { RaceProgress } from './race';
import { OPTION_NAMES } from './display';

/** The first seed's controller: its probability of each option, per decision, along its most likely architecture. */
export function ControllerTable({ f }: { f: NasFrame }) {
  return (
    <>
      <table className="stats" aria-label="The first seed's controller: its probability of each option, per decision, along its most likely architecture" data-controller>
        <tbody>
          {DECISIONS.map((d, k) => (
            <tr key={k}>
              <th>
                stage {d.stage + 1} {d.kind}
              </th>
              {OPTION_NAMES[k].map((name, o) => {
                const q = f.probabilities ? f.probabilities[k][o] : NaN;
                const chosen = f.likely?.[k] === o;
                return (
                  <td key={name} style={{ textAlign: 'left', fontWeight: chosen ? 600 : undefined }} data-chosen={chosen || undefined}>
                    {name} {Number.isFinite(q) ? `${(100 * q).toFixed(0)} %` : '–'}
                    <div style={{ height: 4, width: `${Number.isFinite(q) ? 100 * q : 0}%`, background: 'var(--accent)' }} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="plot-caption">
        The first seed’s LSTM controller, decision by decision along its most likely architecture: each row is its distribution given the options in
        bold above it, the most likely of each row (close to uniform at the start).
      </p>
    </>
  );
}

/** The first seed's reward per trial and the baseline before it. */
export function RewardChart({ race }: { race: RaceProgress }) {
  return (
    <Chart
      label="First seed: the reward R (validation accuracy of each sampled child) and the baseline b before it"
      height={170}
      x={race.first.trial}
      xLabel="trial"
      yLabel="accuracy"
      series={[
        { label: 'reward R', color: SERIES[5], values: race.first.reward },
        { label: 'baseline b', color: SERIES[1], values: race.first.baseline },
      ]}
    />
  );
}

/** Best found so far, median over seeds (REINFORCE's quartiles dashed), against the space's best. */
export function BestChart({ race, best }: { race: RaceProgress; best: number }) {
  return (
    <Chart
      label="Best validation accuracy found so far, median over seeds (REINFORCE's quartiles dashed), and the space's best"
      height={200}
      x={race.curve.trial}
      xLabel="trial"
      yLabel="best validation accuracy"
      series={[
        { label: 'REINFORCE median', color: SERIES[0], values: race.curve.rl },
        { label: 'REINFORCE 25th pct', color: SERIES[0], values: race.curve.rlQ1, dashed: true },
        { label: 'REINFORCE 75th pct', color: SERIES[0], values: race.curve.rlQ3, dashed: true },
        { label: 'random search median', color: SERIES[7], values: race.curve.random },
        { label: 'the space’s best', color: SERIES[4], values: race.curve.trial.map(() => best), dashed: true },
      ]}
    />
  );
}
