/** What the EfficientNet view shows, as numbers and text: pure, tested in Node (display.test.ts). */
import { SERIES } from '../ui/plots/palette';
import type { ChildKind, ChildResult, Coeffs, SearchResults } from './model';
import { childCount } from './search';
import { formatNumber } from '../ui/plots/scale';

export const fmt = (x: number, d = 2) => x.toFixed(d);
export const kmacs = (m: number) => `${(m / 1e3).toFixed(1)}\u00a0k`;
export const group = formatNumber;
export const coeffsText = (c: Coeffs | undefined) => (c ? `${c.alpha}, ${c.beta}, ${c.gamma}` : '–');

/** The step button's φ: half a unit up, back to 0 after 8. */
export const nextPhi = (phi: number) => Math.round(10 * (phi >= 8 ? 0 : phi + 0.5)) / 10;

export const METHODS: { kind: ChildKind; label: string; color: string; dashed?: boolean }[] = [
  { kind: 'compound', label: 'compound (best α, β, γ)', color: SERIES[0] },
  { kind: 'depth', label: 'depth only', color: SERIES[1], dashed: true },
  { kind: 'width', label: 'width only', color: SERIES[2], dashed: true },
  { kind: 'resolution', label: 'resolution only', color: SERIES[3], dashed: true },
];

export const KIND_LABEL: Record<ChildKind, string> = { base: 'base', grid: 'grid', compound: 'compound', depth: 'depth only', width: 'width only', resolution: 'resolution only' };

/** Each method's points, base first, by φ. */
export function curves(r: SearchResults): { kind: ChildKind; pts: ChildResult[] }[] {
  const base = r.children.find((c) => c.kind === 'base');
  return METHODS.map((m) => ({ kind: m.kind, pts: [...(base ? [base] : []), ...r.children.filter((c) => c.kind === m.kind).sort((a, b) => a.phi - b.phi)] }));
}

export interface Box {
  W: number;
  H: number;
  pad: { l: number; r: number; t: number; b: number };
}

/**
 * The scatter's axes for some children: x is multiply-adds on a log scale, y accuracy, each padded a little; round
 * ticks, accuracy every 2 or 5 points, multiply-adds at 1, 2 and 5 times a power of ten.
 */
export function scatterAxes(children: readonly ChildResult[], { W, H, pad }: Box) {
  const lx = children.map((c) => Math.log2(c.macs));
  const [x0, x1] = [Math.min(...lx) - 0.2, Math.max(...lx) + 0.2];
  const accs = children.map((c) => c.accuracy);
  const y0 = Math.max(0, Math.floor(20 * Math.min(...accs)) / 20 - 0.02);
  const y1 = Math.min(1, Math.ceil(20 * Math.max(...accs)) / 20 + 0.01);
  const X = (m: number) => pad.l + ((Math.log2(m) - x0) / (x1 - x0 || 1)) * (W - pad.l - pad.r);
  const Y = (a: number) => pad.t + (1 - (a - y0) / (y1 - y0 || 1)) * (H - pad.t - pad.b);
  const yStep = y1 - y0 > 0.2 ? 0.05 : 0.02;
  const yTicks: number[] = [];
  for (let v = Math.ceil(y0 / yStep - 1e-9) * yStep; v <= y1 + 1e-9; v += yStep) yTicks.push(v);
  const xTicks: number[] = [];
  for (let e = Math.floor(x0 * Math.LOG10E * Math.LN2); e <= Math.ceil(x1 * Math.LOG10E * Math.LN2); e++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (Math.log2(v) >= x0 && Math.log2(v) <= x1) xTicks.push(v);
    }
  return { X, Y, xTicks, yTicks };
}

/** A multiply-add tick's label: "50 k", "2 M". */
export const macsTick = (v: number) => (v >= 1e6 ? `${v / 1e6} M` : `${v / 1e3} k`);

/** The job's status line while results come in. */
export const trainedText = (r: SearchResults) =>
  `${r.children.filter((q) => q.seconds > 0).length} of ${childCount(r.settings.candidates)} children trained, ${r.seconds.toFixed(1)} s of training`;
