/**
 * An architecture as data: a graph of layers (conv, bn, activation, pool, linear, add, concat, …) built in
 * order, each node knowing its output shape, parameters, multiply-adds, activation memory and receptive field.
 * Pure TypeScript: no tfjs, no DOM. Counting conventions (torchvision's / fvcore's):
 * - params: trainable parameters as PyTorch's `sum(p.numel())` — batch-norm γ and β count, its running
 *   statistics do not; a bias counts where the layer has one;
 * - macs: multiply-adds of convolution and linear layers only, weights only (no bias), batch 1:
 *   conv H_out·W_out·C_out·(C_in/groups)·k_h·k_w, linear in·out;
 * - memory: the layer's output elements × 4 bytes (float32);
 * - receptive field along each axis: r_out = r_in + (k_eff − 1)·j_in, j_out = j_in·s with
 *   k_eff = d·(k − 1) + 1; a node with several inputs takes the largest.
 */

/** A tensor's shape without the batch: [C, H, W] for feature maps, [N] for vectors. */
export type Shape = number[];

export type Op =
  | 'input'
  | 'conv'
  | 'sepconv'
  | 'bn'
  | 'act'
  | 'maxpool'
  | 'avgpool'
  | 'adaptivepool'
  | 'linear'
  | 'add'
  | 'mul'
  | 'concat'
  | 'split'
  | 'shuffle'
  | 'flatten'
  | 'dropout'
  | 'pad'
  | 'reshape'
  | 'identity'
  | 'unknown';

/** Padding: PyTorch's symmetric per-side amount, [top+bottom, left+right] totals, or TensorFlow's 'same' / 'valid'. */
export type Pad = number | { h: number; w: number } | 'same' | 'valid';

export interface Layer {
  index: number;
  name: string;
  op: Op;
  /** A short description of the layer's settings, e.g. "3×3/2, 64" or "ReLU". */
  detail: string;
  inputs: number[];
  /** Grouping for the drawing: stage (collapsible), block (a box) and branch path ("main", "main/se", …). */
  stage: string;
  block: string;
  branch: string;
  shape: Shape;
  params: number;
  macs: number;
  /** Output elements × 4 bytes. */
  memory: number;
  /** Receptive field (size and jump) along height and width, in input pixels. */
  rf: [number, number];
  jump: [number, number];
  /** What a builder of real models needs (kernel, stride, padding, …). */
  attrs: Record<string, unknown>;
  /** A problem with this layer (an unknown layer class, say): shown in its row, the rest still counts. */
  problem?: string;
}

export interface Totals {
  params: number;
  macs: number;
  memory: number;
  /** Largest receptive field over all layers (that of the output, which a global pool widens to the whole map). */
  rf: number;
}

export interface Summary extends Totals {
  name: string;
  resolution: number;
  input: Shape;
  output: Shape;
  layers: Layer[];
  /** Problems found (unknown layers, …), each naming its layer. */
  problems: string[];
}

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** Output length of a convolution or pooling along one axis (PyTorch's formula, or TensorFlow's for 'same'/'valid'). */
export function outLength(n: number, k: number, s: number, pad: 'same' | 'valid' | number, d = 1, ceil = false): number {
  if (pad === 'same') return Math.ceil(n / s);
  const total = pad === 'valid' ? 0 : pad;
  const span = n + total - d * (k - 1) - 1;
  if (!ceil) return Math.floor(span / s) + 1;
  let out = Math.ceil(span / s) + 1;
  // PyTorch: the last window must start inside the input or the left padding.
  if ((out - 1) * s >= n + total / 2) out -= 1;
  return out;
}

function padTotals(pad: Pad): ['same' | 'valid' | number, 'same' | 'valid' | number] {
  if (pad === 'same' || pad === 'valid') return [pad, pad];
  if (typeof pad === 'number') return [2 * pad, 2 * pad];
  return [pad.h, pad.w];
}

const spatial = (s: Shape) => s.length === 3;
const prod = (s: Shape) => s.reduce((a, b) => a * b, 1);
const fmtK = (k: [number, number]) => (k[0] === k[1] ? `${k[0]}×${k[0]}` : `${k[0]}×${k[1]}`);

export interface ConvOptions {
  stride?: number | [number, number];
  pad?: Pad;
  dilation?: number | [number, number];
  groups?: number;
  bias?: boolean;
  name?: string;
}

/** Builds a graph in order. Scopes (stage, block, branch) only group layers for the drawing. */
export class GraphBuilder {
  readonly layers: Layer[] = [];
  readonly problems: string[] = [];
  private stageName = '';
  private blockName = '';
  private branchPath: string[] = [];
  private counters = new Map<string, number>();

  constructor(readonly name: string) {}

  stage<T>(name: string, fn: () => T): T {
    const [s, b] = [this.stageName, this.blockName];
    this.stageName = name;
    this.blockName = '';
    try {
      return fn();
    } finally {
      this.stageName = s;
      this.blockName = b;
    }
  }

  block<T>(name: string, fn: () => T): T {
    const b = this.blockName;
    this.blockName = name;
    try {
      return fn();
    } finally {
      this.blockName = b;
    }
  }

  branch<T>(name: string, fn: () => T): T {
    this.branchPath.push(name);
    try {
      return fn();
    } finally {
      this.branchPath.pop();
    }
  }

  shape(x: number): Shape {
    return this.layers[x].shape;
  }

  channels(x: number): number {
    return this.layers[x].shape[0];
  }

  private local(op: string, name?: string): string {
    // Names follow torchvision's module paths: a block prefixes its layers, a stage (drawing only) does not.
    const prefix = this.blockName;
    let base = name;
    if (!base) {
      const key = `${prefix}/${op}`;
      const n = (this.counters.get(key) ?? 0) + 1;
      this.counters.set(key, n);
      base = n === 1 ? op : `${op}${n}`;
    }
    return prefix ? `${prefix}.${base}` : base;
  }

  /** Adds a node; receptive field from its inputs and (kernel, stride, dilation) when given. */
  add(
    op: Op,
    inputs: number[],
    shape: Shape,
    o: { name?: string; detail?: string; params?: number; macs?: number; kernel?: [number, number]; stride?: [number, number]; dilation?: [number, number]; attrs?: Record<string, unknown>; problem?: string } = {},
  ): number {
    for (const v of shape) if (!Number.isFinite(v) || v < 1) throw new Error(`${this.local(op, o.name)}: output shape [${shape.join(', ')}] is empty — the input is too small for this network`);
    let rf: [number, number] = [1, 1];
    let jump: [number, number] = [1, 1];
    if (inputs.length) {
      rf = [Math.max(...inputs.map((i) => this.layers[i].rf[0])), Math.max(...inputs.map((i) => this.layers[i].rf[1]))];
      // Jumps agree for inputs of one size; a broadcast 1×1 gate (squeeze-and-excitation) has a coarser one: keep the map's.
      jump = [Math.min(...inputs.map((i) => this.layers[i].jump[0])), Math.min(...inputs.map((i) => this.layers[i].jump[1]))];
    }
    if (o.kernel) {
      const k = o.kernel;
      const s = o.stride ?? [1, 1];
      const d = o.dilation ?? [1, 1];
      rf = [rf[0] + d[0] * (k[0] - 1) * jump[0], rf[1] + d[1] * (k[1] - 1) * jump[1]];
      jump = [jump[0] * s[0], jump[1] * s[1]];
    }
    const index = this.layers.length;
    const layer: Layer = {
      index,
      name: this.local(op, o.name),
      op,
      detail: o.detail ?? '',
      inputs,
      stage: this.stageName,
      block: this.blockName,
      branch: this.branchPath.join('/'),
      shape,
      params: o.params ?? 0,
      macs: o.macs ?? 0,
      memory: prod(shape) * 4,
      rf,
      jump,
      attrs: o.attrs ?? {},
    };
    if (o.problem) {
      layer.problem = o.problem;
      this.problems.push(o.problem);
    }
    this.layers.push(layer);
    return index;
  }

  input(c: number, h: number, w = h, name = 'input'): number {
    return this.add('input', [], [c, h, w], { name, detail: `${c}×${h}×${w}` });
  }

  private need3(x: number, what: string): [number, number, number] {
    const s = this.shape(x);
    if (!spatial(s)) throw new Error(`${what} needs a feature map, got [${s.join(', ')}] from ${this.layers[x].name}`);
    return [s[0], s[1], s[2]];
  }

  conv(x: number, cout: number, kernel: number | [number, number], o: ConvOptions = {}): number {
    const [cin, h, w] = this.need3(x, 'a convolution');
    const k = pair(kernel);
    const s = pair(o.stride ?? 1);
    const d = pair(o.dilation ?? 1);
    const g = o.groups ?? 1;
    const bias = o.bias ?? true;
    if (cin % g || cout % g) throw new Error(`convolution with ${g} groups needs channels divisible by ${g} (${cin} → ${cout})`);
    const [ph, pw] = padTotals(o.pad ?? 0);
    const ho = outLength(h, k[0], s[0], ph, d[0]);
    const wo = outLength(w, k[1], s[1], pw, d[1]);
    const perOut = (cin / g) * k[0] * k[1];
    const kind = g === 1 ? '' : g === cin && g === cout ? ' depthwise' : ` ${g} groups`;
    return this.add('conv', [x], [cout, ho, wo], {
      name: o.name ?? 'conv',
      detail: `${fmtK(k)}${s[0] > 1 || s[1] > 1 ? `/${s[0]}` : ''}${d[0] > 1 ? ` dil ${d[0]}` : ''}, ${cout}${kind}${bias ? ' +b' : ''}`,
      params: cout * perOut + (bias ? cout : 0),
      macs: ho * wo * cout * perOut,
      kernel: k,
      stride: s,
      dilation: d,
      attrs: { kernel: k, stride: s, dilation: d, pad: o.pad ?? 0, groups: g, bias, filters: cout },
    });
  }

  /** Keras' SeparableConv2D as one layer: depthwise k×k (depth multiplier m) then pointwise 1×1. */
  sepconv(x: number, cout: number, kernel: number | [number, number], o: ConvOptions & { multiplier?: number } = {}): number {
    const [cin, h, w] = this.need3(x, 'a separable convolution');
    const k = pair(kernel);
    const s = pair(o.stride ?? 1);
    const d = pair(o.dilation ?? 1);
    const m = o.multiplier ?? 1;
    const bias = o.bias ?? true;
    const [ph, pw] = padTotals(o.pad ?? 0);
    const ho = outLength(h, k[0], s[0], ph, d[0]);
    const wo = outLength(w, k[1], s[1], pw, d[1]);
    return this.add('sepconv', [x], [cout, ho, wo], {
      name: o.name ?? 'sepconv',
      detail: `sep ${fmtK(k)}${s[0] > 1 ? `/${s[0]}` : ''}, ${cout}${bias ? ' +b' : ''}`,
      params: cin * m * k[0] * k[1] + cin * m * cout + (bias ? cout : 0),
      macs: ho * wo * cin * m * (k[0] * k[1] + cout),
      kernel: k,
      stride: s,
      dilation: d,
    });
  }

  bn(x: number, name = 'bn'): number {
    const c = this.channels(x);
    return this.add('bn', [x], this.shape(x), { name, detail: 'batch norm', params: 2 * c });
  }

  act(x: number, fn: 'relu' | 'relu6' | 'silu' | 'sigmoid' | 'hardswish' | 'tanh' | 'softmax' | string, name?: string): number {
    return this.add('act', [x], this.shape(x), { name: name ?? fn, detail: fn, attrs: { fn } });
  }

  pool(x: number, kind: 'max' | 'avg', kernel: number | [number, number], o: { stride?: number | [number, number]; pad?: Pad; ceil?: boolean; name?: string } = {}): number {
    const [c, h, w] = this.need3(x, 'a pooling');
    const k = pair(kernel);
    const s = pair(o.stride ?? kernel);
    const [ph, pw] = padTotals(o.pad ?? 0);
    const ho = outLength(h, k[0], s[0], ph, 1, o.ceil);
    const wo = outLength(w, k[1], s[1], pw, 1, o.ceil);
    return this.add(kind === 'max' ? 'maxpool' : 'avgpool', [x], [c, ho, wo], {
      name: o.name ?? `${kind}pool`,
      detail: `${kind} ${fmtK(k)}/${s[0]}${o.ceil ? ' ceil' : ''}`,
      kernel: k,
      stride: s,
      attrs: { kernel: k, stride: s, pad: o.pad ?? 0, ceil: !!o.ceil },
    });
  }

  /** Adaptive average pooling to out×out (1: global). Receptive field: the window PyTorch uses at the largest. */
  adaptivePool(x: number, out = 1, name = 'avgpool'): number {
    const [c, h, w] = this.need3(x, 'a global pooling');
    const kh = Math.ceil(h / out);
    const kw = Math.ceil(w / out);
    const sh = Math.max(1, Math.floor(h / out));
    const sw = Math.max(1, Math.floor(w / out));
    return this.add('adaptivepool', [x], [c, out, out], {
      name,
      detail: out === 1 ? 'global average' : `adaptive average → ${out}×${out}`,
      kernel: [kh, kw],
      stride: [sh, sw],
      attrs: { out },
    });
  }

  flatten(x: number, name = 'flatten'): number {
    const s = this.shape(x);
    // Every output element of the next linear layer sees the whole map: widen the field to all of it.
    const k: [number, number] = spatial(s) ? [s[1], s[2]] : [1, 1];
    return this.add('flatten', [x], [prod(s)], { name, detail: 'flatten', kernel: k, stride: k });
  }

  linear(x: number, out: number, o: { bias?: boolean; name?: string } = {}): number {
    const s = this.shape(x);
    if (s.length !== 1) throw new Error(`a linear layer needs a vector, got [${s.join(', ')}] from ${this.layers[x].name}`);
    const bias = o.bias ?? true;
    return this.add('linear', [x], [out], { name: o.name ?? 'fc', detail: `${s[0]} → ${out}${bias ? ' +b' : ''}`, params: s[0] * out + (bias ? out : 0), macs: s[0] * out, attrs: { units: out, bias } });
  }

  dropout(x: number, p: number, name = 'dropout'): number {
    return this.add('dropout', [x], this.shape(x), { name, detail: `p = ${p}` });
  }

  identity(x: number, name = 'identity'): number {
    return this.add('identity', [x], this.shape(x), { name, detail: 'identity' });
  }

  sum(xs: number[], name = 'add'): number {
    const s = this.shape(xs[0]);
    for (const x of xs) if (this.shape(x).join() !== s.join()) throw new Error(`add: shapes differ, [${s.join(', ')}] and [${this.shape(x).join(', ')}]`);
    return this.add('add', xs, s, { name, detail: `add ${xs.length}` });
  }

  /** Element-wise product with broadcasting of a C×1×1 gate (squeeze-and-excitation's rescaling). */
  mul(x: number, gate: number, name = 'scale'): number {
    return this.add('mul', [x, gate], this.shape(x), { name, detail: 'channel-wise ×' });
  }

  concat(xs: number[], name = 'cat'): number {
    const shapes = xs.map((x) => this.shape(x));
    const c = shapes.reduce((a, s) => a + s[0], 0);
    const rest = shapes[0].slice(1);
    for (const s of shapes) if (s.slice(1).join() !== rest.join()) throw new Error(`concat: spatial sizes differ, [${shapes.map((q) => q.join('×')).join('], [')}]`);
    return this.add('concat', xs, [c, ...rest], { name, detail: `concat ${xs.length}` });
  }

  /** Channels [from, to) of x (ShuffleNet V2's channel split). */
  split(x: number, from: number, to: number, name = 'split'): number {
    const s = this.shape(x);
    return this.add('split', [x], [to - from, ...s.slice(1)], { name, detail: `channels ${from}…${to - 1}` });
  }

  shuffle(x: number, groups: number, name = 'shuffle'): number {
    return this.add('shuffle', [x], this.shape(x), { name, detail: `channel shuffle, ${groups} groups` });
  }

  summary(resolution: number): Summary {
    const layers = this.layers;
    const out = layers[layers.length - 1];
    let rf = 0;
    for (const l of layers) rf = Math.max(rf, l.rf[0], l.rf[1]);
    return {
      name: this.name,
      resolution,
      input: layers[0]?.shape ?? [],
      output: out?.shape ?? [],
      params: layers.reduce((a, l) => a + l.params, 0),
      macs: layers.reduce((a, l) => a + l.macs, 0),
      memory: layers.reduce((a, l) => a + l.memory, 0),
      rf,
      layers,
      problems: [...this.problems],
    };
  }
}
