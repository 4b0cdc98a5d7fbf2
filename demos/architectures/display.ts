/** What the explorer shows for a summary, as text and rows: pure, tested in Node (display.test.ts). */
import { WIDTHS, type ArchName, type Layer, type Summary, type publishedAt } from './model';
import { formatNumber } from '../ui/plots/scale';

export const int = formatNumber;
export const macsText = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n));
export const bytesText = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);
export const shapeText = (s: number[]) => s.join('×');
/** A receptive field or jump, [h, w]: one number when square. */
export const pairText = ([h, w]: readonly number[]) => (h === w ? String(h) : `${h}×${w}`);

export const opLabel = (l: Layer) =>
  l.op === 'bn' ? 'BN' : l.op === 'act' ? l.detail : l.op === 'dropout' ? 'dropout' : l.op === 'conv' || l.op === 'sepconv' ? `conv ${l.detail}` : l.op === 'linear' ? `linear ${l.detail}` : l.detail || l.op;

const FOLDED = new Set(['bn', 'act', 'dropout']);

/** Consecutive layers drawn as one row: a conv/linear/pool with the BN, activation and dropout that follow it. */
export function foldRows(ls: Layer[]): Layer[][] {
  const rows: Layer[][] = [];
  for (const l of ls) {
    const prev = rows[rows.length - 1];
    if (prev && FOLDED.has(l.op) && l.inputs.length === 1 && l.inputs[0] === prev[prev.length - 1].index) prev.push(l);
    else rows.push([l]);
  }
  return rows;
}

/** Runs of consecutive layers with the same key (stage, block), in order. */
export function groupBy(ls: Layer[], key: (l: Layer) => string): [string, Layer[]][] {
  const groups: [string, Layer[]][] = [];
  for (const l of ls) {
    const k = key(l);
    if (groups.length && groups[groups.length - 1][0] === k) groups[groups.length - 1][1].push(l);
    else groups.push([k, [l]]);
  }
  return groups;
}

const sum = (ls: Layer[], key: 'params' | 'macs') => ls.reduce((a, l) => a + l[key], 0);

/** A row's parameters and multiply-adds, summed over its layers. */
export const rowTotals = (row: Layer[]) => ({ params: sum(row, 'params'), macs: sum(row, 'macs') });

/** A stage's or block's output shape, parameters and multiply-adds. */
export const costOf = (ls: Layer[]) => `${shapeText(ls[ls.length - 1].shape)} · ${int(sum(ls, 'params'))} params · ${macsText(sum(ls, 'macs'))} MACs`;

/** What feeds a row when it is not the row above (a merge, a functional model's skip), by layer name; '' otherwise. */
export function inputsText(head: Layer, names: Map<number, string> | null): string {
  const fromAbove = head.inputs.length === 1 && head.inputs[0] === head.index - 1;
  return names && head.inputs.length > 0 && !fromAbove ? head.inputs.map((i) => names.get(i)).join(' + ') : '';
}

/** The width multiplier counted (the asked one if `arch` defines it, else ×1) and a note when they differ. */
export function widthFor(arch: ArchName, asked: string): { width: number; widths: readonly number[] | undefined; note: string } {
  const widths = WIDTHS[arch];
  const width = widths?.includes(Number(asked)) ? Number(asked) : 1;
  const note = Number(asked) !== width ? `${asked === '1' ? '' : `×${asked} is not defined for ${arch}: `}counted at ×1${widths ? ` (defined: ${widths.join(', ')})` : ''}.` : '';
  return { width, widths, note };
}

export type SortKey = 'index' | 'params' | 'macs' | 'memory' | 'rf';
export interface Sort {
  key: SortKey;
  dir: 1 | -1;
}

/** The table's rows: sorted (ties by index), optionally only layers that cost something or have a problem. */
export function tableRows(layers: Layer[], sort: Sort, costly: boolean): Layer[] {
  const ls = costly ? layers.filter((l) => l.params > 0 || l.macs > 0 || l.problem) : layers;
  const v = (l: Layer) => (sort.key === 'rf' ? Math.max(...l.rf) : l[sort.key]);
  return [...ls].sort((a, b) => sort.dir * (v(a) - v(b)) || a.index - b.index);
}

/** Clicking a column's header: the other direction on the sorted column; a new column descending (the index ascending). */
export const nextSort = (q: Sort, key: SortKey): Sort => ({ key, dir: q.key === key ? (-q.dir as 1 | -1) : key === 'index' ? 1 : -1 });

/** The last layer that is still a spatial map (H > 1): its receptive field is the one the totals quote. */
export const lastMap = (s: Summary) => [...s.layers].reverse().find((l) => l.shape.length === 3 && l.shape[1] > 1);

type Published = NonNullable<ReturnType<typeof publishedAt>>;

/** The end of the totals' caption: where the published figures come from, and at what resolution if not this one. */
export const publishedNote = (pub: Published | null, resolution: number, width: number) =>
  pub ? `. Published: ${pub.source}${pub.resolution !== resolution ? `, at ${pub.resolution}×${pub.resolution}` : ''}` : `. No published figure for ×${width}`;

/** The published parameter count, to the digits its source gives (M) or in full. */
export const publishedParams = (pub: Published) => (pub.paramDigits !== undefined ? `${(pub.params / 1e6).toFixed(pub.paramDigits)} M` : int(pub.params));

/** The published multiply-adds in G (torchvision's to its two decimals, a paper's as printed). */
export const publishedMacs = (pub: Published) => (pub.gmacs !== undefined ? `published ${pub.source === 'torchvision' ? pub.gmacs.toFixed(2) : pub.gmacs} G` : 'not published');
