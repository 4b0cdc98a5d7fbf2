/**
 * Series colours: Okabe–Ito's hues plus two, distinguishable with common colour-vision deficiencies. Each has
 * ≥ 3:1 contrast (WCAG's figure for graphics) on both themes' backgrounds (#fff and #12161c), so one list serves
 * both: Okabe–Ito's orange, sky blue and yellow are darkened (2.3, 2.3, 1.3:1 on white), its black is a grey
 * (1.2:1 on the dark background), and the purple lightened (3.0:1 on dark).
 */
export const SERIES = ['#0072B2', '#D55E00', '#009E73', '#C0699A', '#C08400', '#4896C2', '#9A72B8', '#7D8590', '#8C6D31', '#98902A'];

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

/** Class points drawn over classColor regions: fill of class 0 and 1, dark on the light theme's pale regions,
 * light on the dark theme's deep ones. */
export function classPoint(k: number, dark = false): string {
  return (dark ? ['#8cc4ff', '#ffab66'] : ['#1f5fa8', '#c4570c'])[k ? 1 : 0];
}

/** The rim drawn around a marker to part it from what is under it: white on light, the page colour on dark. */
export function rim(dark = false): string {
  return dark ? '#12161c' : '#fff';
}

/**
 * Ten categorical colours for class maps (a segmentation mask's digits 0–9): matplotlib's tab10 hues, every pair
 * far apart in hue or lightness, so that neighbouring regions of different classes read apart on either theme's
 * background (SERIES repeats close hues: its 0 and 5 are both blue, its 4 and 9 both mustard).
 */
export const CATEGORICAL = ['#1F77B4', '#FF7F0E', '#2CA02C', '#D62728', '#9467BD', '#A66A5C', '#E377C2', '#8A8F98', '#BCBD22', '#17BECF'];
