'use client';
/** Part 2: NMS step by step on one scene. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ParamControls } from '../ui/controls/ParamControls';
import { SERIES } from '../ui/plots/palette';
import { BoxCanvas, boxLabel, drawGray, strokeBox } from '../ui/plots/boxes';
import type { ThemeColors } from '../ui/plots/useTheme';
import { nmsTrace, type NmsMethod, type Shipped } from './model';
import { metricsParams } from './params';
import type { Values, SetParam } from './display';

/** Windows of the scene shown in the NMS stepper: the best ones only, so that each step can be followed. */
const NMS_SHOWN = 24;

export function NmsStepper({ shipped, p, set }: { shipped: Shipped; p: Values; set: SetParam }) {
  const image = Math.min(shipped.scenes.length, p.scene) - 1;
  const scene = shipped.scenes[image];
  const method = p.method as NmsMethod;
  const shown = useMemo(
    () =>
      shipped.raw
        .filter((d) => d.image === image)
        .sort((x, y) => y.score - x.score)
        .slice(0, NMS_SHOWN),
    [shipped, image],
  );
  const trace = useMemo(() => nmsTrace(shown.map((d) => d.box), shown.map((d) => d.score), { method, iouThreshold: p.nmsIou, sigma: 0.5 }), [shown, method, p.nmsIou]);
  const [k, setK] = useState(0);
  useEffect(() => setK(0), [trace]);
  const step = trace[k - 1];
  const removed = new Set(trace.slice(0, k).flatMap((s) => s.removed));
  const kept = trace.slice(0, k).map((s) => s.pick);
  const scores = step ? step.scores : shown.map((d) => d.score);
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, colors: ThemeColors, unit: number) => {
      drawGray(ctx, scene.pixels, scene.size, scene.size, colors);
      for (const o of scene.objects) strokeBox(ctx, o.box, colors.muted, unit, { width: 1, dash: [3, 3] });
      shown.forEach((d, i) => {
        if (kept.includes(i)) return;
        if (removed.has(i)) strokeBox(ctx, d.box, SERIES[7], unit, { width: 1, alpha: 0.35 });
        else strokeBox(ctx, d.box, SERIES[0], unit, { width: 1, alpha: 0.25 + 0.75 * scores[i] });
      });
      for (const i of kept) {
        const current = step && i === step.pick;
        strokeBox(ctx, shown[i].box, current ? SERIES[1] : SERIES[2], unit, { width: current ? 3 : 2 });
        boxLabel(ctx, `${shown[i].cls} ${scores[i].toFixed(2)}`, shown[i].box[0], shown[i].box[1], current ? SERIES[1] : SERIES[2], colors, unit);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [scene, shown, k, trace],
  );
  const soft = method !== 'greedy';
  const status = !step
    ? `${shown.length} best windows of scene ${image + 1}, before suppression (dashed grey: the digits' true boxes).`
    : `Step ${k} of ${trace.length}: keep window ${step.pick + 1} (digit ${shown[step.pick].cls}, score ${scores[step.pick].toFixed(3)}); ` +
      (soft
        ? `rescore ${step.decayed.length} overlapping window${step.decayed.length === 1 ? '' : 's'}${step.removed.length ? `, drop ${step.removed.length} below 0.001` : ''}; ${step.open.length} left.`
        : `remove ${step.removed.length} window${step.removed.length === 1 ? '' : 's'} with IoU > ${p.nmsIou.toFixed(2)}; ${step.open.length} left.`);
  return (
    <section aria-label="Non-maximum suppression step by step">
      <p className="demo-subtitle" style={{ margin: '0.8rem 0 0.2rem' }}>2. Non-maximum suppression, step by step</p>
      <ParamControls table={metricsParams} values={p} onChange={set} only={['scene', 'method', 'nmsIou']} />
      <div className="controls" role="group" aria-label="NMS steps">
        <button type="button" data-nms="back" disabled={k === 0} onClick={() => setK(k - 1)}>
          ◀ Back
        </button>
        <button type="button" data-nms="next" disabled={k >= trace.length} onClick={() => setK(k + 1)}>
          Next NMS step ▶
        </button>
        <button type="button" data-nms="all" disabled={k >= trace.length} onClick={() => setK(trace.length)}>
          All steps
        </button>
      </div>
      <div className="plots" style={{ alignItems: 'start' }}>
        <BoxCanvas units={[scene.size, scene.size]} px={320} draw={draw} label={`Scene ${image + 1} with the detector's windows. ${status}`} />
        <p className="plot-caption" aria-live="polite" style={{ fontSize: '0.9rem' }} data-nms-step={k}>
          {status}
          <br />
          Green: kept; orange: kept at this step; blue: still open (fainter = lower score); grey: removed.
        </p>
      </div>
    </section>
  );
}
