'use client';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { trainTestLoader } from '../runtime/data/loader';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { createPreluRun, DEFAULT_CONFIG, LEAKY_SLOPE, NETS, preluAt, preluDerivative, type PreluFrame } from './model';
import { shapeParams, trainParams } from './params';
import { formatNumber, formatPercent } from '../ui/plots/scale';

type Values = ParamValues<typeof trainParams>;
const TRAIN_DIGITS = 5000;
const TEST_DIGITS = 500;
const TOTAL = DEFAULT_CONFIG.total;
const COLORS = [SERIES[1], SERIES[2], SERIES[0]];
/** y from −3 to 3 for the function chart. */
const YS = Array.from({ length: 121 }, (_, i) => -3 + i * 0.05);

const loadDigits = trainTestLoader(TRAIN_DIGITS, TEST_DIGITS);
const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;

function record(f: PreluFrame, h: History) {
  if (f.measuredAt !== f.steps || !f.accuracy || (!f.trainLoss && (f.steps > 0 || h.values('step').length > 0))) return;
  h.push('step', f.steps);
  f.accuracy.forEach((a, i) => h.push(`acc${i}`, a));
  f.slopes.forEach((a, l) => {
    h.push(`mean${l}`, mean(a));
    h.push(`min${l}`, Math.min(...a));
    h.push(`max${l}`, Math.max(...a));
  });
}


/** PReLU's shape at a slope, and ReLU, leaky ReLU and PReLU nets trained side by side on MNIST. */
export default function PreluView() {
  const { values: s, set: setShape } = useDemoParams(shapeParams);
  const { values: p, set } = useDemoParams(trainParams);
  const digits = useResource(loadDigits, 'mnist');
  const data = digits.value;
  const simulate = (q: Values & { data: boolean }): Simulation<PreluFrame> =>
    createPreluRun({ seed: q.seed, init: q.init, mode: q.mode as 'channel' | 'shared' }, q.data ? data : null);
  const sim = useSimulation(simulate, { ...p, data: data !== null }, { budget: TOTAL, autoplay: true, record, converged: (fr) => !fr.accuracy || fr.steps >= TOTAL, ready: data !== null });
  const f = sim.frame;
  const h = sim.history;
  const a = s.a;

  return (
    <div className="prelu-demo">
      <ParamControls table={shapeParams} values={s} onChange={setShape} />
      <div className="plots">
        <Chart
          label={`f(y) = max(0, y) + a·min(0, y): ReLU (a = 0), leaky ReLU (a = ${LEAKY_SLOPE}) and PReLU at a = ${a}`}
          height={200}
          x={YS}
          xLabel="pre-activation y"
          yLabel="f(y)"
          series={[
            { label: 'ReLU', color: COLORS[0], values: YS.map((y) => preluAt(y, 0)) },
            { label: 'leaky ReLU', color: COLORS[1], values: YS.map((y) => preluAt(y, LEAKY_SLOPE)), dashed: true },
            { label: `PReLU, a = ${a}`, color: COLORS[2], values: YS.map((y) => preluAt(y, a)) },
          ]}
        />
        <Chart
          label={`Derivatives of PReLU at a = ${a}: ∂f/∂y (1 or a) and ∂f/∂a = min(0, y)`}
          height={200}
          x={YS}
          xLabel="pre-activation y"
          yLabel="derivative"
          series={[
            { label: '∂f/∂y', color: COLORS[2], values: YS.map((y) => preluDerivative(y, a)) },
            { label: '∂f/∂a', color: SERIES[4], values: YS.map((y) => Math.min(0, y)), dashed: true },
          ]}
        />
      </div>
      <ParamControls table={trainParams} values={p} onChange={set} />
      <Transport
        sim={sim}
        status={data ? `Adam step ${f?.steps ?? 0} of ${TOTAL}, batches of ${DEFAULT_CONFIG.batchSize} from ${formatNumber(TRAIN_DIGITS)} digits` : `loading MNIST digits… ${Math.round(100 * digits.progress)} %`}
      />
      <div className="plots">
        <Chart
          label={`Test accuracy on ${TEST_DIGITS} digits`}
          height={200}
          x={h.values('step')}
          xLabel="Adam step"
          yLabel="test accuracy"
          yMin={0}
          yMax={1}
          series={NETS.map((name, i) => ({ label: name, color: COLORS[i], values: h.values(`acc${i}`) }))}
        />
        <Chart
          label="The PReLU net's learned slopes: mean per layer (solid), smallest and largest (dashed)"
          height={200}
          x={h.values('step')}
          xLabel="Adam step"
          yLabel="slope a"
          series={[0, 1].flatMap((l) => [
            { label: `layer ${l + 1} mean`, color: SERIES[l === 0 ? 0 : 3], values: h.values(`mean${l}`) },
            { label: `layer ${l + 1} min`, color: SERIES[l === 0 ? 0 : 3], values: h.values(`min${l}`), dashed: true },
            { label: `layer ${l + 1} max`, color: SERIES[l === 0 ? 0 : 3], values: h.values(`max${l}`), dashed: true },
          ])}
        />
      </div>
      {f?.accuracy && (
        <p className="plot-caption" data-accuracy={Array.from(f.accuracy).join(',')}>
          After {f.measuredAt} steps: {NETS.map((n, i) => `${n} ${formatPercent(f.accuracy![i])}`).join(', ')}. PReLU slopes: layer 1 mean {mean(f.slopes[0]).toFixed(3)}, layer 2
          mean {mean(f.slopes[1]).toFixed(3)}
          {p.mode === 'channel' &&
            ` (ranges ${f.slopes.map((s2) => `${Math.min(...s2).toFixed(2)} to ${Math.max(...s2).toFixed(2)}`).join(' and ')})`}
          .
        </p>
      )}
    </div>
  );
}
