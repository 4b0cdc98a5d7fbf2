/** What the cost-volume view shows at the inspected pixel and in its tables: pure, tested in Node (display.test.ts). */
import { SERIES } from '../ui/plots/palette';
import { evidenceOf, HEIGHT, pixelCosts, WIDTH, type CostKind, type CostVolumeResult, type Evidence, type Flow, type Frames } from './model';

export const COLOR: Record<Evidence, string> = { unique: SERIES[2], aperture: SERIES[1], textureless: SERIES[7] };
export const EVIDENCE: readonly Evidence[] = ['unique', 'aperture', 'textureless'];
export const EVIDENCE_LABEL: Record<Evidence, string> = { unique: 'one best match', aperture: 'several tie', textureless: 'all tie' };
export const fmt = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(2));

/** What the cost grid shows for pixel (x, y): its costs over the displacements, the true shift, the winner, how many tied. */
export interface PixelReading {
  costs: Float32Array;
  truth: [number, number];
  win: [number, number];
  ties: number;
  evidence: Evidence;
}

export function readPixel(result: CostVolumeResult, frames: Frames, maxD: number, x: number, y: number): PixelReading {
  const at = y * WIDTH + x;
  const ties = result.flow.ties[at];
  return {
    costs: pixelCosts(result.volume, WIDTH, HEIGHT, maxD, x, y),
    truth: [frames.trueDx[at], frames.trueDy[at]],
    win: [result.flow.dx[at], result.flow.dy[at]],
    ties,
    evidence: evidenceOf(ties, maxD),
  };
}

/** How good each displacement's match is, 0 (worst at this pixel) … 1 (best): low SSD or high correlation. */
export function matchQuality(costs: Float32Array, kind: CostKind): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of costs) {
    lo = Math.min(lo, c);
    hi = Math.max(hi, c);
  }
  return costs.map((c) => {
    const t = hi > lo ? (c - lo) / (hi - lo) : 0;
    return kind === 'ssd' ? 1 - t : t;
  });
}

/** The flow sampled every `every` px (from every/2): where each arrow starts, its displacement and its evidence. */
export function flowSamples(flow: Flow, maxD: number, every: number): { x: number; y: number; dx: number; dy: number; evidence: Evidence }[] {
  const out: { x: number; y: number; dx: number; dy: number; evidence: Evidence }[] = [];
  for (let y = every / 2; y < HEIGHT; y += every)
    for (let x = every / 2; x < WIDTH; x += every) {
      const p = y * WIDTH + x;
      out.push({ x, y, dx: flow.dx[p], dy: flow.dy[p], evidence: evidenceOf(flow.ties[p], maxD) });
    }
  return out;
}

/** The pixel under a click at (clientX, clientY) on a canvas showing the frame in `rect`; null outside. */
export function pixelAt(rect: { left: number; top: number; width: number; height: number }, clientX: number, clientY: number): [number, number] | null {
  const x = Math.floor(((clientX - rect.left) / rect.width) * WIDTH);
  const y = Math.floor(((clientY - rect.top) / rect.height) * HEIGHT);
  return x >= 0 && y >= 0 && x < WIDTH && y < HEIGHT ? [x, y] : null;
}
