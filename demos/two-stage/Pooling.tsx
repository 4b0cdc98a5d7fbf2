'use client';
import { useCallback, useRef } from 'react';
import type { Shipped } from '../runtime/data/scene-set';
import { useOnScreen } from '../ui/useOnScreen';
import { WhenNear } from '../ui/WhenNear';
import { useSimulation } from '../ui/useSimulation';
import { useRemoteSimulation } from '../ui/useRemoteSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { BoxCanvas, drawGray, strokeBox } from '../ui/plots/boxes';
import type { ThemeColors } from '../ui/plots/useTheme';
import { MAX_OFFSET, STRIDE, type PoolFrame } from './geometry';
import type { PoolParams } from './model';
import { twoStageParams, type SetParam, type Values } from './params';

/** Part 2: RoI pooling against RoIAlign as the box slides, computed in the demo's worker. */
export function Pooling({ shipped, p, set }: { shipped: Shipped; p: Values; set: SetParam }) {
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
