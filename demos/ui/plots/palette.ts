/** Series colours: Okabe–Ito plus two, distinguishable with common colour-vision deficiencies. */
export const SERIES = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7a5195', '#000000', '#8c6d31', '#F0E442'];

/** A quiet sequential ramp for contour bands behind trajectories (low = background-like, high = strong). */
export function bandColor(t: number, dark = false): [number, number, number] {
  const a = dark ? [22, 28, 36] : [247, 251, 255];
  const b = dark ? [92, 118, 150] : [150, 168, 192];
  const u = Math.min(1, Math.max(0, t));
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * u)) as [number, number, number];
}

/** Ink for markers drawn on canvases: the text colour of the current theme. */
export function ink(dark: boolean): string {
  return dark ? '#e3e8ef' : '#111';
}

/** Two-class probability (0 → class 0, 1 → class 1): pale at 0.5, the class colours at the ends. */
export function classColor(t: number, dark = false): [number, number, number] {
  const mid = dark ? [34, 40, 48] : [246, 246, 246];
  const c0 = dark ? [40, 90, 150] : [120, 170, 225];
  const c1 = dark ? [160, 90, 30] : [240, 170, 110];
  const u = Math.abs(t - 0.5) * 2;
  const end = t < 0.5 ? c0 : c1;
  return [0, 1, 2].map((i) => Math.round(mid[i] + (end[i] - mid[i]) * u)) as [number, number, number];
}
