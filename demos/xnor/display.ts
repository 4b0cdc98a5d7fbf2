/** How the XNOR view writes its numbers, its status and its three tables' cells: pure, tested in Node. */
import { cnnCost, cnnTotals, macsOf, paperSpeedup, TIMING_SHAPES, type BinaryMode, type TimedPath, type XnorFrame } from './model';
import { formatInt, formatPercent } from '../ui/plots/scale';

export const int = formatInt;
/** Milliseconds: three decimals below 1, two below 10, one above; '…' while not measured. */
export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 1 ? 3 : v < 10 ? 2 : 1) : '…');
/** A ratio: one decimal below 10; '…' while not measured. */
export const times = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)}×` : '…');

export const LABELS: Record<BinaryMode, string> = { full: 'full precision', bwn: 'binary weights (BWN)', xnor: 'XNOR-Net' };
export const WHAT: Record<BinaryMode, string> = { full: 'float weights and inputs', bwn: 'α·sign(W), float inputs', xnor: 'α·sign(W) and K·sign(I)' };

/** What the demo is doing: scoring the test digits, timing a layer shape, or done. */
export function xnorStatus(f: XnorFrame | null, digits: number, backend: string): string {
  if (!f) return '';
  if (f.scored < digits) return `scoring test digits on ${backend}: ${int(f.scored)} of ${int(digits)}`;
  if (f.done) return `${int(digits)} digits scored and ${TIMING_SHAPES.length} layer shapes timed on ${backend}`;
  return `timing ${TIMING_SHAPES[f.timing?.current ?? 0]?.label ?? ''} on ${backend}`;
}

/** A network's accuracy on the digits scored so far, '…' before the first. */
export const accuracyCell = (f: XnorFrame | null, m: BinaryMode) => (f && f.scores[m].count > 0 ? formatPercent(f.scores[m].correct / f.scores[m].count, 2) : '…');

/**
 * The cost table per digit: each layer's name (float layers marked), multiply-adds, binary ops and 32-bit words
 * (binarised layers only), bits in float and binarised; then the totals row, whose last cell has the savings.
 */
export function costTable(): { rows: { name: string; cells: string[] }[]; total: string[] } {
  const rows = cnnCost();
  const t = cnnTotals(rows);
  return {
    rows: rows.map((r) => ({
      name: `${r.name}${r.binary ? '' : ' (float)'}`,
      cells: [int(r.macs), r.binary ? int(r.macs) : '—', r.binary ? int((r.outputs * r.fanIn) / 32) : '—', int(r.bitsFloat), int(r.bitsBinary)],
    })),
    total: [int(t.macs), int(t.binaryOps), '', int(t.bitsFloat), `${int(t.bitsBinary)} (${times(t.bitsFloat / t.bitsBinary)} smaller; conv2 + fc1 ${times(t.binaryLayerBitsFloat / t.binaryLayerBits)})`],
  };
}

/**
 * The timing table: per shape its label with h×w×c, k×k, filters; multiply-adds; the medians of tfjs, the float loop
 * and XNOR; the loop's and tfjs's time over XNOR's; and the paper's speed-up S.
 */
export function timingRows(medians: readonly Record<TimedPath, number>[] | undefined): { label: string; cells: string[] }[] {
  return TIMING_SHAPES.map((s, i) => {
    const m = medians?.[i];
    return {
      label: `${s.label}: ${s.h}×${s.w}×${s.c}, ${s.k}×${s.k}, ${s.f}`,
      cells: [int(macsOf(s)), ms(m?.tf ?? NaN), ms(m?.js ?? NaN), ms(m?.xnor ?? NaN), times(m ? m.js / m.xnor : NaN), times(m ? m.tf / m.xnor : NaN), times(paperSpeedup(s.c, s.k * s.k))],
    };
  });
}
