'use client';
import { useCallback, useMemo } from 'react';
import type { Shipped } from '../runtime/data/scene-set';
import { ParamControls } from '../ui/controls/ParamControls';
import { SERIES } from '../ui/plots/palette';
import { formatInt } from '../ui/plots/scale';
import { BoxCanvas, boxLabel, drawGray, strokeBox } from '../ui/plots/boxes';
import type { ThemeColors } from '../ui/plots/useTheme';
import { generateAnchors, labelAnchors } from './geometry';
import { twoStageParams, type SetParam, type Values } from './params';

/** Part 1: a scene's anchors, labelled positive, negative or ignored by the RPN's IoU rule (computed on the page). */
export function Anchors({ shipped, p, set }: { shipped: Shipped; p: Values; set: SetParam }) {
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
