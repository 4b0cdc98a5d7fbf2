/** What the capsules view shows, as numbers and text: pure, tested in Node (display.test.ts). */
import { HOUSE_PARTS, PARTS, WHOLES, type CapsNetManifest, type PartsRouting, type Pose, type RoutingTrace } from './model';
import { formatPercent } from '../ui/plots/scale';

export const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The ten digit capsules' lengths after `iteration` (1-based), and the digits from longest to shortest. */
export function lengthsAt(t: RoutingTrace | null, iteration: number): { lengths: Float32Array | null; order: number[] } {
  if (!t) return { lengths: null, order: [] };
  const r = iteration - 1;
  const lengths = t.lengths.subarray(r * 10, r * 10 + 10);
  return { lengths, order: Array.from(lengths.keys()).sort((a, b) => lengths[b] - lengths[a]) };
}

/** Digit capsule j's length at each iteration: one line of the chart. */
export const lengthCurve = (t: RoutingTrace, j: number) => Array.from({ length: t.iterations }, (_, i) => t.lengths[i * 10 + j]);

/** The status line: digits routed, or the loading progress. */
export const routedText = (loaded: boolean, routed: number, progress: number) => (loaded ? `${plural(routed, 'digit')} routed` : `Loading the CapsNet… ${Math.round(100 * progress)} %`);

/** The status line's tail: the shipped net's test accuracy with 1 and 3 routing iterations, once known. */
export const accuracyText = (test: CapsNetManifest['test'] | undefined) => (test ? ` · test accuracy ${formatPercent(test.accuracy1)} with 1 iteration, ${formatPercent(test.accuracy3)} with 3` : '');

/** Under the digit: which capsule is longest after `iteration`, and the digit's label when known. */
export const longestText = (iteration: number, longest: number, label: number | undefined) =>
  `Longest capsule after ${plural(iteration, 'iteration')}: ${longest}${label !== undefined ? ` (label ${label})` : ''}`;

/** A coupling map's caption, with its mean (… until computed). */
export function couplingCaption(j: number, iteration: number, map: Float32Array | undefined): string {
  const mean = map ? (map.reduce((a, b) => a + b, 0) / map.length).toFixed(2) : '…';
  return `c to “${j}”, iteration ${iteration} (mean ${mean})`;
}

/** The house's parts with the reader's one moved: right by dx, up by dy, turned by `turn` degrees. */
export function movedParts(part: string, dx: number, dy: number, turn: number): Pose[] {
  const k = PARTS.indexOf(part as (typeof PARTS)[number]);
  return HOUSE_PARTS.map((pose, i) => (i === k ? { x: pose.x + dx, y: pose.y + dy, deg: pose.deg + turn } : pose));
}

/** c of part i to whole j after the last iteration. */
export const lastCoupling = (routed: PartsRouting, i: number, j: number) => routed.c[((routed.iterations - 1) * PARTS.length + i) * WHOLES.length + j];

/** The wholes' lengths after the last iteration. */
export const lastLengths = (routed: PartsRouting) => routed.lengths.subarray((routed.iterations - 1) * WHOLES.length, routed.iterations * WHOLES.length);

/** A shape's corners, given around its centre, placed at `pose` (rotated counter-clockwise by pose.deg). */
export function placed(pose: Pose, pts: readonly [number, number][]): [number, number][] {
  const t = (pose.deg * Math.PI) / 180;
  return pts.map(([a, b]) => [pose.x + Math.cos(t) * a - Math.sin(t) * b, pose.y + Math.sin(t) * a + Math.cos(t) * b]);
}
