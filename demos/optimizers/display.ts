/** What the optimizer race draws beside the runs: pure, tested in Node (display.test.ts). */
import { gridPoints } from '../runtime/grid';
import { SERIES } from '../ui/plots/palette';
import { OPTIMIZER_NAMES, type OptimizerName, type Surface } from './model';

export const COLOR: Record<OptimizerName, string> = Object.fromEntries(OPTIMIZER_NAMES.map((o, i) => [o, SERIES[i % SERIES.length]])) as Record<OptimizerName, string>;

export const fmt = (x: number) => (!Number.isFinite(x) ? '—' : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toPrecision(4));

/** Grid points per side of the contour picture. */
export const RES = 96;

/** The surface on a RES × RES grid of its view, from its own (double precision) formula: no tfjs needed for the picture. */
export function surfaceGrid(surface: Surface): Float32Array {
  const [x0, x1, y0, y1] = surface.view;
  const pts = gridPoints({ xMin: x0, xMax: x1, yMin: y0, yMax: y1 }, RES);
  const v = new Float32Array(RES * RES);
  for (let k = 0; k < v.length; k++) v[k] = surface.f(pts[2 * k], pts[2 * k + 1]);
  return v;
}
