'use client';
import { useMemo, useState } from 'react';
import type { History } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { useRemoteSimulation } from '../ui/useRemoteSimulation';
import { useReady } from '../ui/useReady';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { ContourCanvas, type Overlay } from '../ui/plots/ContourCanvas';
import { Chart } from '../ui/plots/Chart';
import { SERIES, classColor, classPoint } from '../ui/plots/palette';
import type { MoonsData } from '../runtime/data/moons';
import type { DropoutFrame as Frame } from './model';
import { BOUNDARY_RES, pairData } from './data';
import { dropoutParams } from './params';
import { formatPercent } from '../ui/plots/scale';

const TOTAL_STEPS = 600;
type Values = ParamValues<typeof dropoutParams>;

function record(f: Frame, h: History) {
  h.push('step', f.steps);
  h.push('plainTrain', f.plain.trainLoss);
  h.push('plainTest', f.plain.testLoss);
  h.push('dropTrain', f.dropout.trainLoss);
  h.push('dropTest', f.dropout.testLoss);
}

function points(data: MoonsData, which: 'train' | 'test'): Overlay {
  return (ctx, toPx, _size, { dark, bg }) => {
    const s = data[which];
    for (let i = 0; i < s.n; i++) {
      const [px, py] = toPx(s.x[2 * i], s.x[2 * i + 1]);
      ctx.beginPath();
      ctx.arc(px, py, which === 'train' ? 4 : 1.6, 0, 2 * Math.PI);
      ctx.fillStyle = classPoint(s.y[i], dark);
      ctx.globalAlpha = which === 'train' ? 1 : 0.35;
      ctx.fill();
      if (which === 'train') {
        ctx.strokeStyle = bg;
        ctx.lineWidth = 1.2;
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    }
  };
}


/** Dropout demo: two identical networks, one with dropout, trained side by side on noisy moons. */
export default function DropoutView() {
  const { values: p, set } = useDemoParams(dropoutParams);
  // The pair trains and is evaluated in ./model.worker.ts (pairSimulation): the page only draws its frames.
  const simulate = useRemoteSimulation<Values, Frame>(() => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module' }));
  const sim = useSimulation(simulate, p, { budget: TOTAL_STEPS, autoplay: true, record });
  const [showTest, setShowTest] = useState(false);
  const f = sim.frame;
  const h = sim.history;
  // The first figure: the points, which need no tensors, drawn while the worker starts; its frames bring the regions.
  const first = useMemo(() => pairData(p.seed, { nTrain: p.nTrain, noise: p.noise }), [p.seed, p.nTrain, p.noise]);
  useReady(true);
  const data = f?.data ?? first;

  const panel = (which: 'plain' | 'dropout', title: string) => (
    <div>
      <ContourCanvas
        values={f ? f.boundary[which] : null}
        nx={BOUNDARY_RES}
        ny={BOUNDARY_RES}
        box={data.box}
        range={[0, 1]}
        bands={10}
        palette={classColor}
        overlay={points(data, showTest ? 'test' : 'train')}
        label={f ? `Decision regions of the ${title} network with the ${showTest ? 'test' : 'training'} points` : `The ${showTest ? 'test' : 'training'} points (the ${title} network's decision regions follow once it has started)`}
        size={300}
      />
      <p className="plot-caption">
        <strong>{title}</strong>
        {f ? ` · train ${formatPercent(f[which].trainAcc)} · test ${formatPercent(f[which].testAcc)} accuracy` : ' · starting…'}
      </p>
    </div>
  );

  return (
    <div className="dropout-demo">
      <ParamControls table={dropoutParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? `step ${f.steps}` : ''} />
      <div className="checks">
        <label>
          <input type="checkbox" checked={showTest} onChange={(e) => setShowTest(e.target.checked)} /> show the 1,000 test points instead of the training points
        </label>
      </div>
      <div className="plots">
        {panel('plain', 'No dropout')}
        {panel('dropout', `Dropout p = ${p.rate}`)}
      </div>
      <Chart
        label="Train and test loss of both networks per step"
        log
        height={220}
        x={h.values('step')}
        xLabel="step"
        yLabel="cross-entropy"
        series={[
          { label: 'no dropout, train', color: SERIES[0], values: h.values('plainTrain') },
          { label: 'no dropout, test', color: SERIES[0], values: h.values('plainTest'), dashed: true },
          { label: `dropout p = ${p.rate}, train`, color: SERIES[1], values: h.values('dropTrain') },
          { label: `dropout p = ${p.rate}, test`, color: SERIES[1], values: h.values('dropTest'), dashed: true },
        ]}
      />
    </div>
  );
}
