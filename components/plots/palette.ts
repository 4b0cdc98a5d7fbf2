/** Series colours: Okabe–Ito plus two, distinguishable with common colour-vision deficiencies. */
export const SERIES = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7a5195', '#000000', '#8c6d31', '#F0E442'];

/** A light sequential ramp (low = pale, high = dark blue-grey) for contour bands behind trajectories. */
export function bandColor(t: number): [number, number, number] {
  const a = [247, 251, 255];
  const b = [107, 130, 160];
  const u = Math.min(1, Math.max(0, t));
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * u)) as [number, number, number];
}
