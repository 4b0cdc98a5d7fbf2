'use client';
import { ContourCanvas, type ToPx } from '../ui/plots/ContourCanvas';
import { dot, polyline } from '../ui/plots/draw';
import { SERIES } from '../ui/plots/palette';
import { criticalMomentum, METHOD_NAMES, optimum, planeBox, stableLimit } from './model';
import { COLOR, fmt, LOG_STEPS_MAX, NX, NY, type PlaneMethod } from './display';

/**
 * The (γ, μ) plane of the heavy ball or Nesterov: colour is the steps to a millionfold, the solid edge of
 * stability, the critical-damping curves of λ_min and λ_max dashed, the optimum ★ and the point run; a click runs a point.
 */
export function RatePlane({ plane, values, lmin, lmax, gamma, mu, onPick, fg }: { plane: PlaneMethod; values: Float32Array; lmin: number; lmax: number; gamma: number; mu: number; onPick: (x: number, y: number) => void; fg: string }) {
  const box = planeBox(lmax);
  const best = optimum(plane, lmin, lmax);
  const overlay = (ctx: CanvasRenderingContext2D, toPx: ToPx) => {
    const edge: number[] = [];
    for (let j = 0; j <= 100; j++) edge.push(stableLimit(plane, 0.99 * (j / 100)) / lmax, 0.99 * (j / 100));
    polyline(ctx, toPx, edge, fg, { width: 2 });
    [lmin, lmax].forEach((l, k) => {
      const pts: number[] = [];
      for (let i = 0; i <= 400; i++) {
        const g = (i / 400) * box.xMax;
        pts.push(g, criticalMomentum(plane, g, l));
      }
      polyline(ctx, toPx, pts, SERIES[k === 0 ? 4 : 3], { width: 2, dash: [6, 4] });
    });
    dot(ctx, toPx, best.gamma, best.mu, fg, 6, 'star');
    dot(ctx, toPx, gamma, mu, COLOR[plane], 5);
  };
  return (
    <div>
      <ContourCanvas
        values={values}
        nx={NX}
        ny={NY}
        box={box}
        bands={16}
        range={[0, LOG_STEPS_MAX]}
        overlay={overlay}
        picked={[gamma, mu]}
        onPick={onPick}
        label={`The (γ, μ) plane of ${METHOD_NAMES[plane]}: colour is the number of steps to shrink the error a millionfold; click to run a point`}
        size={360}
        xLabel="learning rate γ"
        yLabel="momentum μ"
      />
      <p className="plot-caption">
        The stronger the colour, the slower: 10 to 10⁴ steps to shrink the error a millionfold; beyond the solid edge it diverges. Dashed: critical damping of λ_min (ochre) and
        λ_max (pink). ★ optimum γ {fmt(best.gamma)}, μ {fmt(best.mu)}, ρ {fmt(best.rate)}. Click to run a point.
      </p>
    </div>
  );
}
