/** Series colours: Okabe–Ito plus two, distinguishable with common colour-vision deficiencies. */
export const SERIES = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7a5195', '#000000', '#8c6d31', '#F0E442'];

/** A quiet sequential ramp for contour bands behind trajectories (low = background-like, high = strong). */
export function bandColor(t: number, dark = false): [number, number, number] {
  const a = dark ? [22, 28, 36] : [247, 251, 255];
  const b = dark ? [92, 118, 150] : [107, 130, 160];
  const u = Math.min(1, Math.max(0, t));
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * u)) as [number, number, number];
}

/** Ink for markers drawn on canvases: the text colour of the current theme. */
export function ink(dark: boolean): string {
  return dark ? '#e3e8ef' : '#111';
}
