'use client';
import { useCallback, useMemo, useRef } from 'react';
import { MODELS_BASE_URL } from '../runtime/data/base-url';
import { loadShipped, type Shipped } from '../runtime/data/scene-set';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useReady } from '../ui/useReady';
import { useOnScreen } from '../ui/useOnScreen';
import { WhenNear } from '../ui/WhenNear';
import { useSimulation } from '../ui/useSimulation';
import { useRemoteSimulation } from '../ui/useRemoteSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { LoadProgress } from '../ui/controls/LoadProgress';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { formatInt } from '../ui/plots/scale';
import { BoxCanvas, boxLabel, drawGray, strokeBox } from '../ui/plots/boxes';
import type { ThemeColors } from '../ui/plots/useTheme';
import { generateAnchors, labelAnchors, MAX_OFFSET, STRIDE, type PoolFrame } from './geometry';
import type { PoolParams } from './model';
import { twoStageParams } from './params';
import type { ParamValues } from '../runtime/params';

type Values = ParamValues<typeof twoStageParams>;
type SetParam = <K extends keyof Values>(key: K, value: Values[K]) => void;

/** The scenes (the page draws them; the worker loads its own copy, from the HTTP cache, with the CNN). */
const loadScenes = (signal: AbortSignal, onProgress: (f: number) => void): Promise<Shipped> => loadShipped(MODELS_BASE_URL, { signal }).finally(() => onProgress(1));

export default function TwoStageView() {
  const res = useResource(loadScenes, 'two-stage-scenes');
  const { values: p, set } = useDemoParams(twoStageParams);
  // The anchors figure is the first result: it needs only the scenes. The pooling figure follows when its worker is up.
  useReady(res.value !== null);
  if (!res.value) return <LoadProgress id="two-stage-progress" what="the scenes" progress={res.progress} />;
  return (
    <div className="two-stage-demo">
      <Anchors shipped={res.value} p={p} set={set} />
      <Pooling shipped={res.value} p={p} set={set} />
    </div>
  );
}

function Anchors({ shipped, p, set }: { shipped: Shipped; p: Values; set: SetParam }) {
  const scene = shipped.scenes[Math.min(p.scene, shipped.scenes.length) - 1];
  const stride = Number(p.stride);
  const scales = p.scales.map(Number);
  const ratios = p.ratios.map(Number);
  const anchors = useMemo(() => generateAnchors({ size: scene.size, stride, scales, ratios }), [scene.size, stride, scales.join(), ratios.join()]); // eslint-disable-line react-hooks/exhaustive-deps
  const gts = scene.objects.map((o) => o.box);
  const labels = useMemo(() => labelAnchors(anchors, gts, { positive: p.positive, negative: Math.min(p.negative, p.positive), size: scene.size }), [anchors, scene, p.positive, p.negative]); // eslint-disable-line react-hooks/exhaustive-deps
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, colors: ThemeColors, unit: number) => {
      drawGray(ctx, scene.pixels, scene.size, scene.size, colors);
      // Negatives as faint centre dots, ignored anchors dashed, positives solid over their digit.
      ctx.fillStyle = colors.muted;
      anchors.forEach((a, i) => {
        if (labels.label[i] === 0) ctx.fillRect((a[0] + a[2]) / 2 - unit, (a[1] + a[3]) / 2 - unit, 2 * unit, 2 * unit);
      });
      anchors.forEach((a, i) => labels.label[i] === -1 && labels.best[i] > 0 && strokeBox(ctx, a, SERIES[4], unit, { width: 1, dash: [2, 2], alpha: 0.6 }));
      anchors.forEach((a, i) => labels.label[i] === 1 && strokeBox(ctx, a, SERIES[2], unit, { width: 1.5 }));
      scene.objects.forEach((o, g) => {
        strokeBox(ctx, o.box, SERIES[0], unit, { width: 2.5 });
        boxLabel(ctx, `${g + 1}`, o.box[0], o.box[1], SERIES[0], colors, unit);
      });
    },
    [scene, anchors, labels],
  );
  const perGt = gts.map((_, g) => {
    let n = 0;
    let best = 0;
    anchors.forEach((a, i) => {
      if (labels.match[i] === g && labels.label[i] === 1) n++;
      if (labels.match[i] === g) best = Math.max(best, labels.best[i]);
    });
    return { n, best };
  });
  const { positive, negative, ignored } = labels.counts;
  return (
    <section aria-label="Anchors and the RPN's labels">
      <p className="demo-subtitle" style={{ margin: '0.2rem 0' }}>1. Anchors, labelled by the RPN&apos;s rule</p>
      <ParamControls table={twoStageParams} values={p} onChange={set} only={['scene', 'stride', 'scales', 'ratios', 'positive', 'negative']} />
      <div className="plots" style={{ alignItems: 'start' }}>
        <BoxCanvas units={[scene.size, scene.size]} px={320} draw={draw} label={`Scene ${p.scene} with ${anchors.length} anchors: ${positive} positive, ${negative} negative, ${ignored} ignored`} />
        <div>
          <p style={{ margin: '0 0 0.4rem' }} data-anchors={anchors.length} data-positive={positive} data-negative={negative}>
            <strong>{formatInt(anchors.length)}</strong> anchors ({(scene.size / stride) ** 2} positions × {scales.length} scales × {ratios.length} ratios):{' '}
            <span style={{ color: SERIES[2] }} aria-hidden="true">■</span> {positive} positive ({labels.byBest} of them only as a digit&apos;s best anchor), {formatInt(negative)} negative,{' '}
            <span style={{ color: SERIES[4] }} aria-hidden="true">■</span> {ignored} ignored ({labels.outside} of those cross the border).
          </p>
          <table className="stats" style={{ fontSize: '0.85rem' }}>
            <caption>Each digit: its best anchor&apos;s IoU and its positive anchors</caption>
            <thead>
              <tr>
                <th scope="col">digit</th>
                <th scope="col">class</th>
                <th scope="col">box (px)</th>
                <th scope="col">best IoU</th>
                <th scope="col">positives</th>
              </tr>
            </thead>
            <tbody>
              {scene.objects.map((o, g) => (
                <tr key={g}>
                  <td>{g + 1}</td>
                  <td>{o.cls}</td>
                  <td>
                    {o.box[2] - o.box[0]} × {o.box[3] - o.box[1]}
                  </td>
                  <td>{perGt[g].best.toFixed(2)}</td>
                  <td>{perGt[g].n}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="plot-caption">Blue: the digits&apos; true boxes. Green: positive anchors. Dashed yellow: ignored (between the thresholds, or across the border). Grey dots: centres of negatives.</p>
        </div>
      </div>
    </section>
  );
}

function Pooling({ shipped, p, set }: { shipped: Shipped; p: Values; set: SetParam }) {
  // The feature map and the pooling run in the worker (./pool.worker.ts); the page draws the frames it sends.
  const simulate = useRemoteSimulation<PoolParams, PoolFrame>(() => new Worker(new URL('./pool.worker.ts', import.meta.url), { type: 'module' }));
  const q: PoolParams = { scene: p.scene, digit: p.digit, bins: p.bins };
  // Below a phone's first screen: the sweep plays when the reader gets here (the worker starts at once regardless).
  const ref = useRef<HTMLElement>(null);
  const seen = useOnScreen(ref);
  const sim = useSimulation(simulate, q, { budget: (MAX_OFFSET * 4) | 0, autoplay: true, visible: seen, pace: { max: 1 }, converged: (f: PoolFrame) => f.sweep[f.sweep.length - 1].offset >= MAX_OFFSET });
  const f = sim.frame;
  const scene = shipped.scenes[Math.min(p.scene, shipped.scenes.length) - 1];
  const nDigits = scene.objects.length;
  return (
    <section aria-label="RoI pooling against RoIAlign" ref={ref}>
      <p className="demo-subtitle" style={{ margin: '0.8rem 0 0.2rem' }}>2. RoI pooling against RoIAlign on the CNN&apos;s feature map</p>
      <ParamControls table={twoStageParams} values={p} onChange={set} only={['digit', 'bins']} />
      <Transport sim={sim} status={f ? `box moved ${f.sweep[f.sweep.length - 1].offset.toFixed(2)} of ${MAX_OFFSET} px to the right${p.digit > nDigits ? ` (scene ${p.scene} has ${nDigits} digits: pooling digit ${nDigits})` : ''}` : ''} stepLabel="Move ¼ px" />
      {f ? (
        <WhenNear minHeight="34rem">
          <PoolFigures f={f} />
        </WhenNear>
      ) : (
        <p className="demo-placeholder">Starting the CNN in a Web Worker…</p>
      )}
    </section>
  );
}

function PoolFigures({ f }: { f: PoolFrame }) {
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, colors: ThemeColors, unit: number) => {
      let top = 0;
      for (const v of f.map) top = Math.max(top, v);
      drawGray(ctx, f.map, f.width, f.height, colors, top || 1);
      for (const b of f.bins) strokeBox(ctx, b, SERIES[1], unit, { width: 1.5, fill: 0.08 });
      strokeBox(ctx, f.roi, SERIES[0], unit, { width: 2.5 });
      ctx.fillStyle = SERIES[0];
      for (const [x, y] of f.points) {
        ctx.beginPath();
        ctx.arc(x, y, 2.5 * unit, 0, 2 * Math.PI);
        ctx.fill();
      }
    },
    [f],
  );
  const last = f.sweep[f.sweep.length - 1];
  const offsets = f.sweep.map((s) => s.offset);
  return (
    <>
      <div className="plots" style={{ alignItems: 'start' }}>
        <figure style={{ margin: 0 }}>
          <BoxCanvas units={[f.width, f.height]} px={300} draw={draw} label={`The ${f.width} × ${f.height} feature map with the box, RoI pooling's ${f.k} × ${f.k} bins and RoIAlign's sample points`} />
          <figcaption className="plot-caption">
            conv2 → pool of the shipped cnn on the scene (stride {STRIDE}, summed over 32 channels). Blue: the box and RoIAlign&apos;s 2 × 2 samples per bin; orange: the cells RoI pooling reads, after rounding.
          </figcaption>
        </figure>
        <div style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap' }}>
          <MapImage values={f.pooled} width={f.k} height={f.k} zoom={Math.floor(96 / f.k)} label={`RoI pooling output, ${f.k} × ${f.k}`} caption="RoI pooling (max)" />
          <MapImage values={f.aligned} width={f.k} height={f.k} zoom={Math.floor(96 / f.k)} label={`RoIAlign output, ${f.k} × ${f.k}`} caption="RoIAlign (bilinear, mean)" />
          <p className="plot-caption" style={{ fontSize: '0.9rem', color: 'var(--fg)' }} data-edge={last.edgePx.toFixed(2)}>
            At offset {last.offset.toFixed(2)} px RoI pooling reads cells whose edges lie up to <strong>{last.edgePx.toFixed(2)} px</strong> from the box&apos;s; RoIAlign reads the box itself.
          </p>
        </div>
      </div>
      <div className="plots">
        <Chart label="How far RoI pooling's cells are from the box, by offset" height={170} x={offsets} xLabel="box offset (px)" yLabel="edge error (px)" yMin={0} series={[{ label: 'RoI pooling', color: SERIES[1], values: f.sweep.map((s) => s.edgePx) }]} />
        <Chart
          label="Change of the pooled features since offset 0"
          height={170}
          x={offsets}
          xLabel="box offset (px)"
          yLabel="mean |change|"
          yMin={0}
          series={[
            { label: 'RoI pooling', color: SERIES[1], values: f.sweep.map((s) => s.poolChange) },
            { label: 'RoIAlign', color: SERIES[0], values: f.sweep.map((s) => s.alignChange) },
          ]}
        />
      </div>
    </>
  );
}
