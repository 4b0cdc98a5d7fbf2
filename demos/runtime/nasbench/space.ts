/**
 * The search space of our own small NAS benchmark ("nasbench"): MNIST CNNs with three stages, each stage
 * choosing an operation and a width. Pure arithmetic (no tfjs): the encoding index ⇄ architecture, the
 * parameter and multiply–accumulate counts, and the mutations a search may make.
 *
 * Network: 28×28 input → 2×2 average pool (14×14) → stem conv 3×3, 8 channels, ReLU →
 * stage 1 at 14×14 → 2×2 max pool → stage 2 at 7×7 → stage 3 at 7×7 → flatten → dense 10, softmax.
 * A stage applies one operation (every convolution is 'same', with bias, followed by ReLU):
 *   conv3  3×3 convolution
 *   sep3   depthwise-separable 3×3 (depthwise 3×3, then pointwise 1×1)
 *   pool   3×3 max pool (stride 1), then a 1×1 convolution
 *   skip   identity: the stage does nothing and keeps its input's channels (its width choice is ignored)
 */

/** The operations a stage chooses among, in encoding order. */
export const OPS = ['conv3', 'sep3', 'pool', 'skip'] as const;
export type Op = (typeof OPS)[number];
/** What the reader sees for each operation. */
export const OP_LABELS: Record<Op, string> = {
  conv3: 'conv 3×3',
  sep3: 'sep 3×3',
  pool: 'maxpool + 1×1',
  skip: 'skip',
};
/** The two widths (output channels) each stage may choose, in encoding order. */
export const STAGE_WIDTHS = [
  [4, 8],
  [8, 16],
  [8, 16],
] as const;
/** Number of stages. */
export const STAGES = STAGE_WIDTHS.length;
/** Spatial size (height = width) each stage works at. */
export const STAGE_SIZES = [14, 14 / 2, 14 / 2] as const;
/** Channels of the stem convolution, the first stage's input. */
export const STEM_CHANNELS = 8;
/** Choices per stage: an operation and a width index. */
export const CHOICES_PER_STAGE = OPS.length * 2;
/** Number of cells (encoded architectures) in the space: 8³ = 512. */
export const SPACE_SIZE = CHOICES_PER_STAGE ** STAGES;

/** One stage's choice. `width` is an index into STAGE_WIDTHS[stage]. */
export interface StageChoice {
  op: Op;
  width: 0 | 1;
}
/** An architecture: one choice per stage. */
export type Arch = readonly StageChoice[];

/**
 * The decisions a search makes, in order: stage 1's operation, stage 1's width, stage 2's operation, …
 * (six decisions; operations have 4 options, widths 2). A controller samples them one after another.
 */
export const DECISIONS: readonly { stage: number; kind: 'op' | 'width'; options: number }[] = Array.from({ length: 2 * STAGES }, (_, k) => ({
  stage: Math.floor(k / 2),
  kind: k % 2 === 0 ? 'op' : 'width',
  options: k % 2 === 0 ? OPS.length : 2,
}));

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= SPACE_SIZE) throw new RangeError(`nasbench: cell index must be an integer in [0, ${SPACE_SIZE}), got ${index}`);
}

/** The architecture of cell `index`: stage s's choice is digit s (base 8, stage 1 first) = op · 2 + width. */
export function decode(index: number): Arch {
  checkIndex(index);
  const arch: StageChoice[] = [];
  let rest = index;
  for (let s = STAGES - 1; s >= 0; s--) {
    const c = rest % CHOICES_PER_STAGE;
    rest = Math.floor(rest / CHOICES_PER_STAGE);
    arch[s] = { op: OPS[Math.floor(c / 2)], width: (c % 2) as 0 | 1 };
  }
  return arch;
}

/** The cell index of `arch` (inverse of {@link decode}). */
export function encode(arch: Arch): number {
  if (arch.length !== STAGES) throw new RangeError(`nasbench: an architecture has ${STAGES} stages, got ${arch.length}`);
  let index = 0;
  for (const { op, width } of arch) {
    const o = OPS.indexOf(op);
    if (o < 0 || (width !== 0 && width !== 1)) throw new RangeError(`nasbench: bad stage choice ${JSON.stringify({ op, width })}`);
    index = index * CHOICES_PER_STAGE + o * 2 + width;
  }
  return index;
}

/** Decisions (op index, width index per stage, as in {@link DECISIONS}) → cell index. */
export function fromDecisions(d: readonly number[]): number {
  if (d.length !== DECISIONS.length) throw new RangeError(`nasbench: ${DECISIONS.length} decisions expected, got ${d.length}`);
  return encode(Array.from({ length: STAGES }, (_, s) => ({ op: OPS[d[2 * s]], width: d[2 * s + 1] as 0 | 1 })));
}

/** Cell index → its decisions (inverse of {@link fromDecisions}). */
export function toDecisions(index: number): number[] {
  return decode(index).flatMap((c) => [OPS.indexOf(c.op), c.width]);
}

/**
 * The canonical cell of `index`: a skip stage's width is ignored, so cells that differ only there build
 * the same network; the canonical one has width index 0 on every skip stage. The benchmark trains each
 * canonical cell once and gives its duplicates the same results.
 */
export function canonical(index: number): number {
  return encode(decode(index).map((c) => (c.op === 'skip' ? { op: c.op, width: 0 as const } : c)));
}

/** Every canonical cell index, ascending (3·2 + 1 = 7 distinct networks per stage, 7³ = 343 in all). */
export function canonicalCells(): number[] {
  const out: number[] = [];
  for (let i = 0; i < SPACE_SIZE; i++) if (canonical(i) === i) out.push(i);
  return out;
}

/** Channels each stage outputs (a skip stage passes its input's channels on). */
export function stageChannels(arch: Arch): number[] {
  let c: number = STEM_CHANNELS;
  return arch.map((choice, s) => (c = choice.op === 'skip' ? c : STAGE_WIDTHS[s][choice.width]));
}

/** Trainable parameters and multiply–accumulates of one stage, input `cin` channels, output `cout`, at size×size. */
function stageCost(op: Op, cin: number, cout: number, size: number): { params: number; macs: number } {
  const hw = size * size;
  switch (op) {
    case 'conv3':
      return { params: 9 * cin * cout + cout, macs: hw * 9 * cin * cout };
    case 'sep3':
      return { params: 9 * cin + cin * cout + cout, macs: hw * (9 * cin + cin * cout) };
    case 'pool':
      return { params: cin * cout + cout, macs: hw * cin * cout };
    case 'skip':
      return { params: 0, macs: 0 };
  }
}

/**
 * Trainable parameters and multiply–accumulates per image of cell `index`: the stem (3×3, 1 → 8 at 14×14),
 * the three stages and the dense layer on the flattened 7×7 map. Weights and biases are counted; MACs count the convolutions and the
 * dense layer only (pooling, ReLU and bias additions are not multiply–accumulates).
 */
export function cellCost(index: number): { params: number; macs: number } {
  const arch = decode(index);
  const out = stageChannels(arch);
  let params = 9 * STEM_CHANNELS + STEM_CHANNELS;
  let macs = 14 * 14 * 9 * STEM_CHANNELS;
  let cin: number = STEM_CHANNELS;
  arch.forEach((c, s) => {
    const cost = stageCost(c.op, cin, out[s], STAGE_SIZES[s]);
    params += cost.params;
    macs += cost.macs;
    cin = out[s];
  });
  const flat = STAGE_SIZES[STAGES - 1] ** 2 * cin;
  params += flat * 10 + 10;
  macs += flat * 10;
  return { params, macs };
}

/** A short name such as "conv3·8 | sep3·16 | skip". */
export function describe(index: number): string {
  const arch = decode(index);
  return arch.map((c, s) => (c.op === 'skip' ? 'skip' : `${c.op}·${STAGE_WIDTHS[s][c.width]}`)).join(' | ');
}

/**
 * Every cell one mutation away from `index`: one stage's operation changed (3 per stage) or one
 * non-skip stage's width flipped. Mutations that only change a skip stage's ignored width are left out,
 * since they give the same network. Indices are canonical when `index` is.
 */
export function mutations(index: number): number[] {
  const arch = decode(index);
  const out: number[] = [];
  arch.forEach((c, s) => {
    for (const op of OPS) {
      if (op === c.op) continue;
      const next = arch.slice();
      next[s] = { op, width: op === 'skip' ? 0 : c.width };
      out.push(encode(next));
    }
    if (c.op !== 'skip') {
      const next = arch.slice();
      next[s] = { op: c.op, width: (1 - c.width) as 0 | 1 };
      out.push(encode(next));
    }
  });
  return out;
}
