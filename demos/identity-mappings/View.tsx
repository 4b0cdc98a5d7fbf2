'use client';
import type { Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { callsPerVariant, createPropagationRun, DEFAULT_CONFIG, shortcutProduct, UNIT_VARIANTS, VARIANT_NAMES, type PropagationFrame, type UnitVariant } from './model';
import { identityParams } from './params';

type Values = ParamValues<typeof identityParams>;
const COLORS: Record<UnitVariant, string> = { original: SERIES[1], 'bn-after-add': SERIES[7], 'relu-before-add': SERIES[2], 'relu-preact': SERIES[3], 'full-preact': SERIES[0] };
/** The chosen variants in a fixed order, so each keeps its colour. */
const chosen = (p: Values): UnitVariant[] => UNIT_VARIANTS.filter((v) => p.variants.includes(v));
const ROUNDS = DEFAULT_CONFIG.rounds;
const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : 'overflow');

const simulate = (q: Values): Simulation<PropagationFrame> => createPropagationRun({ variants: chosen(q), lambda: q.lambda, units: q.units, seed: q.seed });

/** The signal and the gradient along a deep stack of residual units, per unit variant, at a shortcut scale λ. */
export default function IdentityMappingsView() {
  const { values: p, set } = useDemoParams(identityParams);
  const names = chosen(p);
  const sim = useSimulation(simulate, p, { budget: UNIT_VARIANTS.length * ROUNDS * callsPerVariant(p.units), autoplay: true, converged: (f) => f.done });
  const f = sim.frame;
  const measured = f?.measured ?? [];
  // Draws done for every variant (the curves of the variants ahead in the current round have one more).
  const rounds = measured.length < names.length ? 0 : Math.min(...measured.map((m) => m.rounds));
  const units = { start: 0, step: 1 };
  const chart = (which: 'forward' | 'backward', label: string, yLabel: string) => (
    <Chart
      label={label}
      log
      height={220}
      x={units}
      xLabel="unit l (x_l is its input; the last point is the stack's output)"
      yLabel={yLabel}
      series={[
        ...measured.map((m) => ({ label: VARIANT_NAMES[m.variant], color: COLORS[m.variant], values: m[which] })),
        ...(which === 'backward' ? [{ label: `direct term λ^(L−l) = ${p.lambda}^(L−l)`, color: SERIES[5], values: shortcutProduct(p.lambda, p.units), dashed: true }] : []),
      ]}
    />
  );

  return (
    <div className="identity-demo">
      <ParamControls table={identityParams} values={p} onChange={set} />
      <Transport sim={sim} status={`${rounds} of ${ROUNDS} draws of 32 random inputs for all ${names.length} variants, through ${p.units} units of width 16`} />
      <div className="plots">
        {chart('forward', 'Forward: RMS of the signal x_l entering each unit, relative to the input x₀', 'RMS x_l / RMS x₀')}
        {chart('backward', 'Backward: RMS of the gradient ∂E/∂x_l at each unit, relative to the output’s ∂E/∂x_L', 'RMS ∂E/∂x_l / RMS ∂E/∂x_L')}
      </div>
      {measured.length > 0 && (
        <p className="plot-caption">
          Gradient at the input x₀ relative to the output, λ = {p.lambda}: {measured.map((m) => `${VARIANT_NAMES[m.variant]} ${sci(m.backward[0])}`).join(' · ')}. Direct term λ^L ={' '}
          {sci(p.lambda ** p.units)}.
        </p>
      )}
    </div>
  );
}
