'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DemoViewProps } from '../ui/types';
import { useLoop } from '../ui/useLoop';
import { useDemoParams } from '@/demos/ui/controls/useDemoParams';
import { ParamControls } from '@/demos/ui/controls/ParamControls';
import { Transport } from '@/demos/ui/controls/Transport';
import { ContourCanvas, type Overlay } from '@/demos/ui/plots/ContourCanvas';
import { Chart } from '@/demos/ui/plots/Chart';
import { SERIES, classColor, classPoint } from '@/demos/ui/plots/palette';
import { createPair, type Boundary, type MoonsData, type Pair, type PairFrame } from './model';
import { dropoutParams } from './params';

const RES = 48;
const TOTAL_STEPS = 600;
const BOUNDARY_EVERY = 3; // frames between decision-region redraws

interface History {
  plainTrain: number[];
  plainTest: number[];
  dropTrain: number[];
  dropTest: number[];
  last: PairFrame | null;
}
const EMPTY: History = { plainTrain: [], plainTest: [], dropTrain: [], dropTest: [], last: null };

function points(data: MoonsData | null, which: 'train' | 'test'): Overlay {
  return (ctx, toPx, _size, { dark, bg }) => {
    if (!data) return;
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
export default function DropoutView({ backend, active, prefix, onNote, onReady, onError }: DemoViewProps) {
  const { values: p, set } = useDemoParams(dropoutParams, prefix, onNote);
  const pair = useRef<Pair | null>(null);
  const [data, setData] = useState<MoonsData | null>(null);
  const [hist, setHist] = useState<History>(EMPTY);
  const [boundary, setBoundary] = useState<Boundary | null>(null);
  const [showTest, setShowTest] = useState(false);
  const [run, setRun] = useState(0);
  // CPU is ~4× slower per step than WASM or WebGL: fewer steps per frame keeps the page responsive.
  const stepsPerFrame = backend === 'cpu' ? 2 : 6;

  const record = useCallback((f: PairFrame) => {
    setHist((h) => ({
      plainTrain: [...h.plainTrain, f.plain.trainLoss],
      plainTest: [...h.plainTest, f.plain.testLoss],
      dropTrain: [...h.dropTrain, f.dropout.trainLoss],
      dropTest: [...h.dropTest, f.dropout.testLoss],
      last: f,
    }));
  }, []);

  useEffect(() => {
    let alive = true;
    let made: Pair;
    try {
      made = createPair({ seed: p.seed, hidden: [Number(p.width), Number(p.width)], rate: p.rate, lr: p.lr, nTrain: p.nTrain, noise: p.noise });
    } catch (e) {
      onError(e);
      return;
    }
    pair.current = made;
    setData(made.data);
    setHist(EMPTY);
    (async () => {
      const f = await made.step(0);
      const b = await made.boundary(RES);
      if (!alive) return;
      record(f);
      setBoundary(b);
    })().catch((e) => alive && onError(e));
    return () => {
      alive = false;
      made.dispose();
      if (pair.current === made) pair.current = null;
    };
  }, [p.seed, p.width, p.rate, p.lr, p.nTrain, p.noise, run, record, onError]);

  const framesDone = useRef(0);
  const frame = useCallback(async () => {
    const pr = pair.current;
    if (!pr) return;
    const f = await pr.step(stepsPerFrame);
    if (pair.current !== pr) return;
    record(f);
    framesDone.current += 1;
    if (framesDone.current % BOUNDARY_EVERY === 0) {
      const b = await pr.boundary(RES);
      if (pair.current === pr) setBoundary(b);
    }
  }, [stepsPerFrame, record]);
  const loop = useLoop({ active, frame, budget: Math.ceil(TOTAL_STEPS / stepsPerFrame), autoplay: true });
  const { restart } = loop;
  useEffect(() => {
    framesDone.current = 0;
    restart();
  }, [p.seed, p.width, p.rate, p.lr, p.nTrain, p.noise, run, restart]);

  useEffect(() => {
    if (boundary) onReady();
  }, [boundary, onReady]);

  const last = hist.last;
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const panel = (which: 'plain' | 'dropout', title: string) => (
    <div>
      {boundary && (
        <ContourCanvas
          values={boundary[which]}
          nx={boundary.resolution}
          ny={boundary.resolution}
          box={boundary.box}
          range={[0, 1]}
          bands={10}
          palette={classColor}
          overlay={points(data, showTest ? 'test' : 'train')}
          label={`Decision regions of the ${title} network with the ${showTest ? 'test' : 'training'} points`}
          size={300}
        />
      )}
      <p className="plot-caption">
        <strong>{title}</strong>
        {last && ` · train ${pct(last[which].trainAcc)} · test ${pct(last[which].testAcc)} accuracy`}
      </p>
    </div>
  );

  return (
    <div className="dropout-demo">
      <ParamControls table={dropoutParams} values={p} onChange={set} />
      <Transport
        loop={loop}
        onReset={() => setRun((r) => r + 1)} // a fresh pair with the same seed replays the same run
        status={last ? `step ${last.steps}` : ''}
      />
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
        x={{ step: stepsPerFrame }}
        xLabel="step"
        yLabel="cross-entropy"
        series={[
          { label: 'no dropout, train', color: SERIES[0], values: hist.plainTrain },
          { label: 'no dropout, test', color: SERIES[0], values: hist.plainTest, dashed: true },
          { label: 'dropout, train', color: SERIES[1], values: hist.dropTrain },
          { label: 'dropout, test', color: SERIES[1], values: hist.dropTest, dashed: true },
        ]}
      />
    </div>
  );
}
