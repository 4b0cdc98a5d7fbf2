'use client';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MnistArrays } from '../runtime/data/idx';
import { digitsLoader, floatImages } from '../runtime/data/loader';
import { thetaFromParts } from '../runtime/models/sampler';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls, JobProblem } from '../ui/controls/JobControls';
import { useResource } from '../ui/useResource';
import { useLatest } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useJob } from '../ui/useJob';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { useThemeColors } from '../ui/plots/useTheme';
import { CANVAS, distortedSet, initialFlat, OUT, parameterCounts, rectify, sampleByHand, type DistortedSet, type Rectified } from './model';
import { HELD_OUT, type TrainInput, type TrainProgress } from './train';
import { thetaParams, trainParams } from './params';

/** Held-out digits shown rectified. */
const SHOWN = 8;
const loadTest = digitsLoader('test', HELD_OUT);
const pct = (x: number) => `${(100 * x).toFixed(1)}\u00a0%`;
const COUNTS = parameterCounts();

/** A 36×36 canvas scaled up, with the sampling grid of θ (every fourth line of the 28×28 grid and its border) drawn over it. */
function GridCanvas({ canvas, theta, zoom = 6 }: { canvas: Float32Array; theta: readonly number[]; zoom?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const side = CANVAS * zoom;
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, side, side);
    ctx.fillStyle = colors.fg;
    for (let i = 0; i < CANVAS * CANVAS; i++) {
      const v = canvas[i];
      if (!(v > 0)) continue;
      ctx.globalAlpha = Math.min(1, v);
      ctx.fillRect((i % CANVAS) * zoom, Math.floor(i / CANVAS) * zoom, zoom, zoom);
    }
    ctx.globalAlpha = 1;
    // Source point of target (x_t, y_t), in canvas pixels (pixel centres at (k + 0.5)·zoom).
    const at = (xt: number, yt: number): [number, number] => {
      const xs = theta[0] * xt + theta[1] * yt + theta[2];
      const ys = theta[3] * xt + theta[4] * yt + theta[5];
      return [(((xs + 1) * (CANVAS - 1)) / 2 + 0.5) * zoom, (((ys + 1) * (CANVAS - 1)) / 2 + 0.5) * zoom];
    };
    const line = (pts: [number, number][]) => {
      ctx.beginPath();
      pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.stroke();
    };
    const ticks = Array.from({ length: 8 }, (_, k) => -1 + (2 * k) / 7);
    ctx.strokeStyle = SERIES[0];
    ctx.lineWidth = 1;
    for (const t of ticks) {
      line([at(t, -1), at(t, 1)]);
      line([at(-1, t), at(1, t)]);
    }
    ctx.strokeStyle = SERIES[1];
    ctx.lineWidth = 2;
    line([at(-1, -1), at(1, -1), at(1, 1), at(-1, 1), at(-1, -1)]);
    // The output's top-left corner, so a turn or a flip is visible.
    const [cx, cy] = at(-1, -1);
    ctx.fillStyle = SERIES[1];
    ctx.beginPath();
    ctx.arc(cx, cy, 4, 0, 2 * Math.PI);
    ctx.fill();
  }, [canvas, theta, colors, side, zoom]);
  return <canvas ref={ref} width={side} height={side} role="img" aria-label="The input canvas with the sampling grid drawn over it" style={{ display: 'block', width: '100%', maxWidth: side, border: '1px solid var(--line)' }} />;
}

const fmt = (v: number) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2));

/** θ as a 2×3 matrix. */
function ThetaTable({ theta }: { theta: readonly number[] }) {
  return (
    <table className="stats" aria-label="θ, the 2×3 affine matrix" data-theta={theta.map((v) => v.toFixed(4)).join(' ')} style={{ fontVariantNumeric: 'tabular-nums' }}>
      <tbody>
        {[0, 1].map((r) => (
          <tr key={r}>
            <th scope="row">{r === 0 ? 'x_s =' : 'y_s ='}</th>
            <td>{fmt(theta[3 * r])}·x_t</td>
            <td>{fmt(theta[3 * r + 1])}·y_t</td>
            <td>+ {fmt(theta[3 * r + 2])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface HandJob {
  canvas: Float32Array;
  theta: number[];
}
interface Shown {
  flat: Float32Array;
  canvases: Float32Array;
}

// Module-level, so useLatest sees the same function on every render.
const sampleHand = (q: HandJob) => sampleByHand(q.canvas, q.theta);
const rectifyShown = (q: Shown) => rectify(q.flat, q.canvases);

/** θ by hand on a held-out canvas; then an STN and a plain CNN trained in a worker on distorted digits. */
export default function StnView() {
  const { values: p, set } = useDemoParams(thetaParams);
  const { values: t, set: setT } = useDemoParams(trainParams);
  const test = useResource<MnistArrays>(loadTest, 'test');
  const held = useMemo<DistortedSet | null>(() => (test.value ? distortedSet(floatImages(test.value, 0, HELD_OUT), test.value.labels.subarray(0, HELD_OUT), t.seed) : null), [test.value, t.seed]);

  const theta = useMemo(() => thetaFromParts({ degrees: p.degrees, scale: p.scale, shear: p.shear, tx: p.tx, ty: p.ty }), [p.degrees, p.scale, p.shear, p.tx, p.ty]);
  // Memoised: a new subarray on every render would re-submit the sampling after every result, forever.
  const canvas = useMemo(() => (held ? held.canvases.subarray(p.digit * CANVAS * CANVAS, (p.digit + 1) * CANVAS * CANVAS) : null), [held, p.digit]);
  const hand = useLatest(held ? sampleHand : null);
  const { submit: submitHand } = hand;
  useEffect(() => {
    if (canvas) submitHand({ canvas, theta });
  }, [canvas, theta, submitHand]);

  const job = useJob<TrainInput, TrainProgress, TrainProgress>(() => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' }));
  const input: TrainInput = useMemo(() => ({ seed: t.seed, steps: Number(t.steps) }), [t.seed, t.steps]);
  const [ranFor, setRanFor] = useState<string | null>(null);
  const key = JSON.stringify(input);
  const run = ranFor === key ? (job.result ?? job.partial) : null;
  const flat = useMemo(() => (run?.flat && run.flat.length ? run.flat : initialFlat(t.seed)), [run?.flat, t.seed]);
  const start = Math.min(p.digit, HELD_OUT - SHOWN);
  const shown = useLatest(held ? rectifyShown : null);
  const { submit: submitShown } = shown;
  useEffect(() => {
    if (held) submitShown({ flat, canvases: held.canvases.subarray(start * CANVAS * CANVAS, (start + SHOWN) * CANVAS * CANVAS) });
  }, [held, flat, start, submitShown]);
  useReady(hand.result !== null && shown.result !== null);
  const rect: Rectified | null = shown.result;

  const last = run && run.accAt.length ? run.accAt.length - 1 : -1;
  const status = run
    ? `step ${run.steps.toLocaleString('en-US')} of ${run.total.toLocaleString('en-US')} · held-out accuracy STN ${last >= 0 ? pct(run.accStn[last]) : '–'}, CNN ${last >= 0 ? pct(run.accPlain[last]) : '–'} at step ${run.accAt[last] ?? 0} · ${run.trainSeconds.toFixed(1)} s of training${job.result ? '' : ' so far'}`
    : job.state === 'running'
      ? 'loading 10,000 training and 1,000 test digits…'
      : undefined;

  return (
    <div className="stn-demo">
      <div className="toolbar" data-frames={hand.count} data-running="0">
        <button type="button" data-action="step" onClick={() => set('digit', (p.digit + 1) % HELD_OUT)}>
          Next digit
        </button>
        <span className="status-line">
          {held ? `held-out distorted digit ${p.digit} (label ${held.labels[p.digit]})` : `Loading test digits… ${Math.round(100 * test.progress)} %`}
        </span>
      </div>
      <ParamControls table={thetaParams} values={p} onChange={set} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(12rem, 1fr))', gap: '0.8rem 1.2rem', alignItems: 'start' }}>
        <figure style={{ margin: 0 }}>
          {canvas ? <GridCanvas canvas={canvas} theta={theta} /> : <div style={{ aspectRatio: '1', maxWidth: 216, border: '1px solid var(--line)' }} />}
          <figcaption className="plot-caption">Input U (36 × 36) and the sampling grid: where each output pixel is read. Orange: the output&apos;s border; the dot is its top-left corner.</figcaption>
        </figure>
        <figure style={{ margin: 0 }}>
          <MapImage values={hand.result ?? new Float32Array(OUT * OUT)} width={OUT} height={OUT} zoom={6} scale={1} label="The output V sampled with θ" />
          <figcaption className="plot-caption">Output V (28 × 28), bilinear.</figcaption>
          <ThetaTable theta={theta} />
        </figure>
      </div>

      <section aria-label="Train an STN and a plain CNN" style={{ marginTop: '0.8rem', paddingTop: '0.6rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.4rem', fontSize: '0.95rem' }}>
          <strong>Learning θ.</strong> An STN ({COUNTS.stn.toLocaleString('en-US')} parameters, {COUNTS.loc.toLocaleString('en-US')} of them in the localisation net) and a plain CNN (
          {COUNTS.plain.toLocaleString('en-US')}) trained side by side on the same randomly distorted digits, in a worker.
        </p>
        <ParamControls table={trainParams} values={t} onChange={setT} />
        <JobControls
          job={job}
          onStart={() => {
            setRanFor(key);
            job.start(input);
          }}
          startLabel="Train"
          label="Training steps done"
          status={status}
        />
        <JobProblem job={job} />
        <div style={{ display: 'grid', gridTemplateColumns: `repeat(${SHOWN}, minmax(0, 1fr))`, gap: '0.3rem', maxWidth: '36rem' }} data-rectified={rect ? SHOWN : 0}>
          {Array.from({ length: SHOWN }, (_, i) => (
            <div key={i} style={{ display: 'grid', gap: 2, fontSize: '0.75rem', justifyItems: 'center' }}>
              <MapImage values={held ? held.canvases.subarray((start + i) * CANVAS * CANVAS, (start + i + 1) * CANVAS * CANVAS) : new Float32Array(CANVAS * CANVAS)} width={CANVAS} height={CANVAS} zoom={2} scale={1} label={`Held-out digit ${start + i}, distorted`} />
              <MapImage values={rect ? rect.rectified.subarray(i * OUT * OUT, (i + 1) * OUT * OUT) : new Float32Array(OUT * OUT)} width={OUT} height={OUT} zoom={2} scale={1} label={`Held-out digit ${start + i} as the STN rectifies it`} />
              <span>
                {rect && held ? `${rect.stnClass[i]}${rect.stnClass[i] === held.labels[start + i] ? '' : '✗'} · ${rect.plainClass[i]}${rect.plainClass[i] === held.labels[start + i] ? '' : '✗'}` : '…'}
              </span>
            </div>
          ))}
        </div>
        <p className="plot-caption">
          Top: held-out distorted test digits; below: the STN&apos;s output for each, {run ? `after ${run.accAt[last] ?? 0} steps` : 'untrained (θ = identity: the whole canvas)'}. Under each: the STN&apos;s answer · the plain CNN&apos;s (✗ wrong).
        </p>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '0.5rem 1rem' }}>
          <Chart
            label={`Accuracy on ${HELD_OUT.toLocaleString('en-US')} distorted held-out test digits`}
            series={[
              { label: 'STN', color: SERIES[0], values: run?.accStn ?? [] },
              { label: 'plain CNN', color: SERIES[1], values: run?.accPlain ?? [] },
            ]}
            x={run?.accAt ?? []}
            xLabel="step"
            yLabel="accuracy"
            yMin={0}
            yMax={1}
            height={180}
          />
          <Chart
            label="Training loss (cross-entropy)"
            series={[
              { label: 'STN', color: SERIES[0], values: run?.lossStn ?? [] },
              { label: 'plain CNN', color: SERIES[1], values: run?.lossPlain ?? [] },
            ]}
            x={run?.lossAt ?? []}
            xLabel="step"
            log
            height={180}
          />
        </div>
      </section>
    </div>
  );
}
