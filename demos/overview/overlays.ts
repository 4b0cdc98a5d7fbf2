/** What the overview view draws over its two contour plots (canvas only: no React). */
import type { Overlay } from '../ui/plots/ContourCanvas';
import { arrow, dot, polyline } from '../ui/plots/draw';
import { SERIES } from '../ui/plots/palette';
import { LOSS_BOX, type GdVsNewton, type MinibatchGradients, type Vec2 } from './model';

/**
 * At θ: −∇Ĵ of the mini-batches (thin) and of the full batch (thick), scaled so the full-batch arrow is a fixed
 * share of the plot; the GD and SGD paths so far; the minimum ★ and θ in the ink colour `fg`.
 */
export function gradientOverlay(theta: Vec2, mb: MinibatchGradients | null, paths: { gd: ArrayLike<number>; sgd: ArrayLike<number> }, best: Vec2, fg: string): Overlay {
  const scale = mb ? (0.22 * (LOSS_BOX.xMax - LOSS_BOX.xMin)) / Math.max(1e-9, Math.hypot(mb.full[0], mb.full[1])) : 0;
  return (ctx, toPx) => {
    const [w, b] = theta;
    if (mb) {
      for (let i = 0; i < mb.count; i++) arrow(ctx, toPx, w, b, -scale * mb.grads[2 * i], -scale * mb.grads[2 * i + 1], SERIES[1], 1.2, 0.35);
      arrow(ctx, toPx, w, b, -scale * mb.full[0], -scale * mb.full[1], SERIES[0], 3);
    }
    polyline(ctx, toPx, paths.gd, SERIES[0], { width: 2 });
    polyline(ctx, toPx, paths.sgd, SERIES[1], { width: 1.5 });
    dot(ctx, toPx, best[0], best[1], fg, 5, 'star');
    dot(ctx, toPx, w, b, fg, 4);
  };
}

/** The GD path and the Newton step (dashed) from `start`, the minimiser ★ and the start in the ink colour `fg`. */
export function newtonOverlay(start: Vec2, race: GdVsNewton, minimiser: Vec2, fg: string): Overlay {
  return (ctx, toPx) => {
    polyline(ctx, toPx, race.gd.flat(), SERIES[0], { width: 2 });
    polyline(ctx, toPx, [...start, ...race.newton], SERIES[2], { width: 2.5, dash: [6, 4] });
    dot(ctx, toPx, minimiser[0], minimiser[1], fg, 5, 'star');
    dot(ctx, toPx, start[0], start[1], fg, 4);
    dot(ctx, toPx, race.newton[0], race.newton[1], SERIES[2], 4);
  };
}
