/**
 * Gradient kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks, composed from kernels it has, so that
 * conv nets (and embeddings) train on the WASM backend. Missing on wasm (compared with cpu):
 * Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput and
 * UnsortedSegmentSum (the gradient of gather). Everything else a CNN step needs (MaxPoolGrad, AvgPoolGrad,
 * Step for relu, FusedConv2D, Conv2DBackpropInput, ...) wasm already has; its Conv2DBackpropInput is a
 * plain loop, so a faster composed one replaces it by default. Timings: wasm-kernels.bench.ts. Two more
 * of wasm's kernels are slow loops in cases the demos hit every step (batched matMul, broadcasting
 * comparisons): those cases are composed from XNNPACK-backed ones, see REPLACED_WASM_KERNELS.
 *
 * Each kernel runs public tf ops inside tf.tidy and returns the resulting Tensor: the engine accepts a
 * Tensor as kernel output and keeps its single reference, the tidy frees every intermediate, and ops run
 * while a kernel runs are never recorded on a gradient tape (engine kernelDepth > 0).
 *
 * This module does not import tfjs: tf.ts (the one module that does) passes its namespace in, which also
 * avoids an import cycle between the two files.
 */
import type { tf as TfNamespace } from './tf';

type Tf = typeof TfNamespace;
type Tensor = TfNamespace.Tensor;
type Tensor4D = TfNamespace.Tensor4D;
type TensorInfo = TfNamespace.TensorInfo;
/** Forward-convolution geometry as tfjs computes it (pads, strides, dilations, shapes). */
export type ConvInfo = TfNamespace.backend_util.Conv2DInfo;
type Pads4 = [[number, number], [number, number], [number, number], [number, number]];

/** How a filter gradient is computed: as one convolution, or as im2col patches times dy (a matMul). */
export type FilterGradMethod = 'conv' | 'im2col';

/** Tensor-level gradient computations (NHWC), bound to a tfjs namespace. All allocate; call in tf.tidy. */
export interface ConvGradOps {
  /** dL/dfilter of conv2d (dilations from `info` honoured), x and dy in NHWC. */
  conv2dFilterGrad(x: Tensor4D, dy: Tensor4D, info: ConvInfo, method?: FilterGradMethod): Tensor4D;
  /** dL/dx of conv2d as a transposed convolution (zero-inserted dy ⊛ flipped filter); NHWC. */
  conv2dInputGrad(dy: Tensor4D, filter: Tensor4D, info: ConvInfo): Tensor4D;
  /** dL/dfilter of depthwiseConv2d ([fh, fw, inC, multiplier]); NHWC. */
  depthwiseFilterGrad(x: Tensor4D, dy: Tensor4D, info: ConvInfo, method?: FilterGradMethod): Tensor4D;
  /** dL/dx of depthwiseConv2d as a transposed depthwise convolution; NHWC. */
  depthwiseInputGrad(dy: Tensor4D, filter: Tensor4D, info: ConvInfo): Tensor4D;
  /** TF semantics: out[s] = Σ_{i: ids[i]=s} x[i]; ids outside [0, numSegments) are dropped. */
  unsortedSegmentSum(x: Tensor, segmentIds: Tensor, numSegments: number): Tensor;
}

/** Filter-gradient method the registered kernels use: 'conv' measured 14–80× faster than 'im2col'. */
export const DEFAULT_FILTER_GRAD_METHOD: FilterGradMethod = 'conv';

/** Bind the gradient computations to a tfjs namespace (the one from tf.ts). */
export function convGradOps(tf: Tf): ConvGradOps {
  /**
   * Bring x ([n, h, w, c]) to the rows/cols the convolution reads: negative amounts crop (rows the forward
   * conv never reached), positive amounts become explicit conv padding (so no padded copy is made).
   */
  function padOrCrop(
    x: Tensor4D,
    top: number,
    bottom: number,
    left: number,
    right: number,
  ): { x: Tensor4D; pad: Pads4 | 'valid' } {
    const [n, h, w, c] = x.shape;
    const ct = Math.max(0, -top);
    const cb = Math.max(0, -bottom);
    const cl = Math.max(0, -left);
    const cr = Math.max(0, -right);
    // Nothing of x survives (a stride larger than input plus padding): the window sees only zeros.
    if (ct + cb >= h || cl + cr >= w) return { x: tf.zeros([n, h + top + bottom, w + left + right, c]), pad: 'valid' };
    const xc = ct + cb + cl + cr > 0 ? tf.slice(x, [0, ct, cl, 0], [n, h - ct - cb, w - cl - cr, c]) : x;
    const pt = Math.max(0, top);
    const pb = Math.max(0, bottom);
    const pl = Math.max(0, left);
    const pr = Math.max(0, right);
    const pad: Pads4 | 'valid' =
      pt + pb + pl + pr === 0
        ? 'valid'
        : [
            [0, 0],
            [pt, pb],
            [pl, pr],
            [0, 0],
          ];
    return { x: xc, pad };
  }

  /**
   * x padded/cropped so that its rows are exactly the (fh-1)·dh + (oh-1)·sh + 1 the forward conv spans.
   * oh, ow come from dy, not from `info`: tfjs's conv gradient drops dimRoundingMode, so `info` can be
   * one row short of the dy the forward actually produced.
   */
  function spanOfForward(x: Tensor4D, info: ConvInfo, oh: number, ow: number): { x: Tensor4D; pad: Pads4 | 'valid' } {
    const spanH = (info.filterHeight - 1) * info.dilationHeight + (oh - 1) * info.strideHeight + 1;
    const spanW = (info.filterWidth - 1) * info.dilationWidth + (ow - 1) * info.strideWidth + 1;
    const { top, left } = info.padInfo;
    return padOrCrop(x, top, spanH - top - info.inHeight, left, spanW - left - info.inWidth);
  }

  /** The forward conv's receptive-field samples: [n·oh·ow, fh·fw, c] in (fh, fw) order. */
  function im2col(x: Tensor4D, info: ConvInfo, oh: number, ow: number): Tensor {
    const span = spanOfForward(x, info, oh, ow);
    const xp = span.pad === 'valid' ? span.x : tf.pad(span.x, span.pad);
    const [n, , , c] = xp.shape;
    const { strideHeight: sh, strideWidth: sw } = info;
    const cols: Tensor[] = [];
    for (let i = 0; i < info.filterHeight; i++) {
      for (let j = 0; j < info.filterWidth; j++) {
        const r = i * info.dilationHeight;
        const q = j * info.dilationWidth;
        const tap = tf.stridedSlice(xp, [0, r, q, 0], [n, r + (oh - 1) * sh + 1, q + (ow - 1) * sw + 1, c], [1, sh, sw, 1]);
        cols.push(tf.reshape(tap, [n * oh * ow, 1, c]));
      }
    }
    return tf.concat(cols, 1);
  }

  /**
   * dy with stride-1 zeros inserted between rows/cols, as [n, oh·sh, ow·sw, k] (the last sh-1 rows and
   * sw-1 cols are zeros too), via reshape + pad: the input of a transposed convolution.
   */
  function zeroInsert(dy: Tensor4D, sh: number, sw: number): Tensor4D {
    if (sh === 1 && sw === 1) return dy;
    const [n, oh, ow, k] = dy.shape;
    const spread = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, k]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    return reshape4(spread, [n, oh * sh, ow * sw, k]);
  }

  /** dy prepared for a transposed convolution with a flipped filter; output rows/cols match the input. */
  function transposedConvInput(dy: Tensor4D, info: ConvInfo): { x: Tensor4D; pad: Pads4 | 'valid' } {
    const { strideHeight: sh, strideWidth: sw, padInfo } = info;
    const [, oh, ow] = dy.shape;
    const spread = zeroInsert(dy, sh, sw);
    const top = (info.filterHeight - 1) * info.dilationHeight - padInfo.top;
    const left = (info.filterWidth - 1) * info.dilationWidth - padInfo.left;
    // Total rows needed: (fh-1)·dh + inHeight, so the rest goes to (or comes off) the bottom.
    const bottom = info.inHeight + padInfo.top - oh * sh;
    const right = info.inWidth + padInfo.left - ow * sw;
    return padOrCrop(spread, top, bottom, left, right);
  }

  function reshape4(x: Tensor, shape: [number, number, number, number]): Tensor4D {
    return tf.reshape(x, shape) as Tensor4D;
  }

  function flip(filter: Tensor4D): Tensor4D {
    return tf.reverse(filter, [0, 1]);
  }

  return {
    conv2dFilterGrad(x, dy, info, method = DEFAULT_FILTER_GRAD_METHOD) {
      const [fh, fw, cin, cout] = info.filterShape;
      const [n, oh, ow] = dy.shape;
      if (method === 'im2col') {
        const cols = tf.reshape(im2col(x, info, oh, ow), [n * oh * ow, fh * fw * cin]);
        const dW = tf.matMul(cols, tf.reshape(dy, [n * oh * ow, cout]), true, false);
        return reshape4(dW, [fh, fw, cin, cout]);
      }
      // dW[i,j,c,k] = Σ_{b,y,x} xpad[b, i·dh + y·sh, j·dw + x·sw, c] · dy[b,y,x,k]: a convolution of x with
      // channels as batch and batch as channels, dy as the filter, stride dh, dilation sh.
      const span = spanOfForward(x, info, oh, ow);
      const xT = tf.transpose(span.x, [3, 1, 2, 0]);
      const dyT = tf.transpose(dy, [1, 2, 0, 3]);
      const out = tf.conv2d(
        xT,
        dyT,
        [info.dilationHeight, info.dilationWidth],
        span.pad,
        'NHWC',
        [info.strideHeight, info.strideWidth],
      );
      return tf.transpose(out, [1, 2, 0, 3]);
    },

    conv2dInputGrad(dy, filter, info) {
      const t = transposedConvInput(dy, info);
      const g = tf.transpose(flip(filter), [0, 1, 3, 2]);
      return tf.conv2d(t.x, g, 1, t.pad, 'NHWC', [info.dilationHeight, info.dilationWidth]);
    },

    depthwiseFilterGrad(x, dy, info, method = DEFAULT_FILTER_GRAD_METHOD) {
      const [fh, fw, c, m] = info.filterShape;
      const [n, oh, ow] = dy.shape;
      if (method === 'im2col') {
        const p = n * oh * ow;
        const cols = im2col(x, info, oh, ow); // [p, fh·fw, c]
        const dyR = tf.reshape(dy, [p, 1, c, m]);
        // Σ over samples of patch·dy, per channel: a small [p, taps, c, m] product summed over p.
        const dW = tf.sum(tf.mul(tf.reshape(cols, [p, fh * fw, c, 1]), dyR), 0);
        return reshape4(dW, [fh, fw, c, m]);
      }
      // Same trick as conv2d, but channels must stay separate: put (batch, channel) pairs on the depthwise
      // channel axis of a single image, dy as a per-pair filter, then sum the batch out.
      const span = spanOfForward(x, info, oh, ow);
      const [, h, w] = span.x.shape;
      const xT = reshape4(tf.transpose(span.x, [1, 2, 0, 3]), [1, h, w, n * c]);
      const dyT = reshape4(tf.transpose(tf.reshape(dy, [n, oh, ow, c, m]), [1, 2, 0, 3, 4]), [oh, ow, n * c, m]);
      const out = tf.depthwiseConv2d(
        xT,
        dyT,
        [info.dilationHeight, info.dilationWidth],
        span.pad,
        'NHWC',
        [info.strideHeight, info.strideWidth],
      );
      return tf.sum(tf.reshape(out, [fh, fw, n, c, m]), 2) as Tensor4D;
    },

    depthwiseInputGrad(dy, filter, info) {
      const [fh, fw, c, m] = info.filterShape;
      const t = transposedConvInput(dy, info);
      const g = reshape4(flip(filter), [fh, fw, c * m, 1]);
      const out = tf.depthwiseConv2d(t.x, g, 1, t.pad, 'NHWC', [info.dilationHeight, info.dilationWidth]);
      if (m === 1) return out;
      const [n, h, w] = out.shape;
      return tf.sum(tf.reshape(out, [n, h, w, c, m]), 4) as Tensor4D;
    },

    unsortedSegmentSum(x, segmentIds, numSegments) {
      const k = segmentIds.size;
      const rest = x.shape.slice(segmentIds.rank);
      const ids = tf.reshape(tf.cast(segmentIds, 'int32'), [k]);
      // Out-of-range ids go to one extra segment that is sliced away (TF drops them).
      const valid = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, numSegments));
      const safe = tf.where(valid, ids, tf.fill([k], numSegments, 'int32'));
      // ScatterNd sums updates that share an index.
      const summed = tf.scatterND(tf.reshape(safe, [k, 1]), tf.reshape(x, [k, ...rest]), [numSegments + 1, ...rest]);
      return tf.slice(summed, 0, numSegments);
    },
  };
}

interface ConvAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: 'same' | 'valid' | number | Pads4;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

/** Kernels wasm 4.22 lacks; `registerWasmGradientKernels` adds them. */
export const MISSING_WASM_KERNELS = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
] as const;

/** wasm's comparisons: without XNNPACK, and with a slow generic loop when the inputs' shapes differ. */
export const COMPARISON_KERNELS = ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual'] as const;

/**
 * Kernels wasm has but that are replaced by default: its Conv2DBackpropInput is a plain loop, and the
 * transposed convolution through XNNPACK measured 1.4–4.5× faster on MNIST-sized layers. Its comparisons
 * broadcast through a generic index loop: greaterEqual([2, 200, 64], [2, 1, 1]) took 3.3 ms where the
 * same-shape comparison takes 0.2 ms and a broadcasting sub 0.02 ms (XNNPACK), so float inputs of
 * different shapes are first broadcast by an XNNPACK add to zeros (exact: 0 + x = x, −0 becomes +0,
 * which compares equal), then compared by wasm's own kernel (`npm run bench`, dropout demo).
 */
export const REPLACED_WASM_KERNELS = ['Conv2DBackpropInput', 'BatchMatMul', 'Slice', 'SplitV', ...COMPARISON_KERNELS] as const;
type ReplacedName = (typeof REPLACED_WASM_KERNELS)[number];

/** Which option of `registerWasmGradientKernels` puts each replaced kernel back to wasm's own. */
function optionFor(name: ReplacedName): 'inputGrad' | 'batchMatMul' | 'slice' | 'comparisons' {
  return name === 'Conv2DBackpropInput' ? 'inputGrad' : name === 'BatchMatMul' ? 'batchMatMul' : name === 'Slice' || name === 'SplitV' ? 'slice' : 'comparisons';
}

/**
 * wasm's BatchMatMul reaches XNNPACK only for one untransposed batch; otherwise it runs a plain loop. For a
 * few large products (stacked networks: [2, 200, 64] × [2, 64, 64] took 2.8 ms, 1.4 ms transposed) the
 * composed kernel materialises transposes and multiplies batch by batch through XNNPACK (0.6–0.9 ms);
 * many small products stay on the loop, which is faster there (`npm run bench`, dropout demo). One large
 * transposed product too: a dense layer's gradients (xᵀ·dy, dy·Wᵀ; [64, 784]ᵀ × [64, 300] took 18–20 ms of
 * CPU on the loop, 1.8–2.3 ms transposed first, in Node on a loaded machine).
 */
export const COMPOSED_MATMUL = { maxBatch: 4, minWork: 65536 } as const;

type KernelName = (typeof MISSING_WASM_KERNELS)[number] | ReplacedName;
type KernelConfig = TfNamespace.KernelConfig;

/** Marks kernel functions made here, so registration can tell its own kernels from wasm's. */
const COMPOSED = 'composedByWasmKernelsModule';
/** wasm's own kernels that were replaced: to put them back, and for composed kernels that call them. */
const replacedNative = new Map<string, KernelConfig>();

/** Whether the wasm kernel `name` currently registered is one composed by this module. */
export function isComposedWasmKernel(tf: Tf, name: string): boolean {
  const k = tf.getKernel(name, 'wasm');
  return k != null && COMPOSED in k.kernelFunc;
}

/** Remove every wasm kernel this module registered (wasm's own replaced kernels are not restored). */
export function unregisterComposedWasmKernels(tf: Tf): void {
  for (const name of [...MISSING_WASM_KERNELS, ...REPLACED_WASM_KERNELS]) {
    if (isComposedWasmKernel(tf, name)) tf.unregisterKernel(name, 'wasm');
  }
}

/** Options of `registerWasmGradientKernels`; the defaults are the measured-fastest choices. */
export interface WasmKernelOptions {
  /** How filter gradients are computed (default 'conv'). */
  filterGradMethod?: FilterGradMethod;
  /** 'composed' (default) replaces wasm's Conv2DBackpropInput; 'native' keeps or restores wasm's own. */
  inputGrad?: 'composed' | 'native';
  /** 'composed' (default) broadcasts float comparisons through XNNPACK first; 'native' keeps wasm's own. */
  comparisons?: 'composed' | 'native';
  /** 'composed' (default) splits few large batched products into XNNPACK ones; 'native' keeps wasm's own. */
  batchMatMul?: 'composed' | 'native';
  /** 'composed' (default) slices and splits through a view of the heap; 'native' keeps wasm's own (which copy all of x). */
  slice?: 'composed' | 'native';
}

/**
 * Register the missing gradient kernels for 'wasm' (and the faster Conv2DBackpropInput). Idempotent: a
 * kernel this module already registered is left alone, and so is a missing kernel that a future
 * tfjs-backend-wasm provides itself. Returns the names it registered. To switch options (benchmarks),
 * call `unregisterComposedWasmKernels` first.
 */
export function registerWasmGradientKernels(tf: Tf, options: WasmKernelOptions = {}): string[] {
  const ops = convGradOps(tf);
  const method = options.filterGradMethod ?? DEFAULT_FILTER_GRAD_METHOD;

  /**
   * A kernel input as a Tensor. Ops hand kernels Tensors; a bare TensorInfo gets a wrapper that holds its
   * own backend reference (makeTensorFromTensorInfo takes none), so that disposing the wrapper at the end
   * of the tidy leaves the caller's data alone.
   */
  function asTensor<T extends Tensor>(info: TensorInfo): T {
    if (info instanceof tf.Tensor) return info as T;
    tf.backend().incRef(info.dataId);
    return tf.engine().makeTensorFromTensorInfo(info) as T;
  }
  function toNHWC(t: Tensor4D, format: 'NHWC' | 'NCHW' | undefined): Tensor4D {
    return format === 'NCHW' ? tf.transpose(t, [0, 2, 3, 1]) : t;
  }
  function float(t: Tensor4D): Tensor4D {
    return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
  }
  function convInfo(inShape: number[], filterShape: number[], attrs: ConvAttrs, depthwise: boolean): ConvInfo {
    return tf.backend_util.computeConv2DInfo(
      inShape as [number, number, number, number],
      filterShape as [number, number, number, number],
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
      depthwise,
      attrs.dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast',
    );
  }
  /** The same geometry for the NHWC layout the composed kernels work in. */
  function nhwcInfo(info: ConvInfo, attrs: ConvAttrs): ConvInfo {
    if (info.dataFormat === 'channelsLast') return info;
    const [n, c, h, w] = info.inShape;
    return convInfo([n, h, w, c], info.filterShape, { ...attrs, dataFormat: 'NHWC' }, false);
  }

  type Kernel = (inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>) => Tensor;
  const kernels: Record<Exclude<KernelName, 'Slice' | 'SplitV'>, Kernel> = {
    Conv2DBackpropFilter: (inputs, attrs) => {
      const a = attrs as unknown as ConvAttrs & { filterShape: number[] };
      const x = asTensor<Tensor4D>(inputs.x);
      const info = nhwcInfo(convInfo(x.shape, a.filterShape, { ...a, dilations: 1 }, false), a);
      const dy = float(toNHWC(asTensor<Tensor4D>(inputs.dy), a.dataFormat));
      return ops.conv2dFilterGrad(float(toNHWC(x, a.dataFormat)), dy, info, method);
    },
    Conv2DBackpropInput: (inputs, attrs) => {
      const a = attrs as unknown as ConvAttrs & { inputShape: number[] };
      const filter = float(asTensor<Tensor4D>(inputs.filter));
      const info = nhwcInfo(convInfo(a.inputShape, filter.shape, { ...a, dilations: 1 }, false), a);
      const dx = ops.conv2dInputGrad(float(toNHWC(asTensor<Tensor4D>(inputs.dy), a.dataFormat)), filter, info);
      return a.dataFormat === 'NCHW' ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
    },
    DepthwiseConv2dNativeBackpropFilter: (inputs, attrs) => {
      const a = attrs as unknown as ConvAttrs & { filterShape: number[] };
      const x = float(asTensor<Tensor4D>(inputs.x));
      const dy = float(asTensor<Tensor4D>(inputs.dy));
      return ops.depthwiseFilterGrad(x, dy, convInfo(x.shape, a.filterShape, a, true), method);
    },
    DepthwiseConv2dNativeBackpropInput: (inputs, attrs) => {
      const a = attrs as unknown as ConvAttrs & { inputShape: number[] };
      const dy = float(asTensor<Tensor4D>(inputs.dy));
      const filter = float(asTensor<Tensor4D>(inputs.filter));
      return ops.depthwiseInputGrad(dy, filter, convInfo(a.inputShape, filter.shape, a, true));
    },
    UnsortedSegmentSum: (inputs, attrs) =>
      ops.unsortedSegmentSum(asTensor(inputs.x), asTensor(inputs.segmentIds), attrs.numSegments as number),
    BatchMatMul: (inputs, attrs) => batchMatMul(inputs, attrs as { transposeA: boolean; transposeB: boolean }),
    Equal: (inputs) => compare('Equal', inputs),
    NotEqual: (inputs) => compare('NotEqual', inputs),
    Greater: (inputs) => compare('Greater', inputs),
    GreaterEqual: (inputs) => compare('GreaterEqual', inputs),
    Less: (inputs) => compare('Less', inputs),
    LessEqual: (inputs) => compare('LessEqual', inputs),
  };

  /** wasm's own kernel `name` on `inputs`, as its TensorInfo. */
  function nativeInfo(name: ReplacedName, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
    const config = replacedNative.get(name);
    if (!config) throw new Error(`${name}: wasm has no kernel to delegate to`);
    return config.kernelFunc({ inputs, attrs: attrs as TfNamespace.NamedAttrMap, backend: tf.backend() }) as TensorInfo;
  }
  /** wasm's own kernel `name` on `inputs`, as a tracked tensor (for composed kernels that delegate). */
  function native(name: ReplacedName, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): Tensor {
    return tf.engine().makeTensorFromTensorInfo(nativeInfo(name, inputs, attrs));
  }

  /** Few large float products of equal batch, or one transposed: one untransposed XNNPACK product per batch; else wasm's loop. */
  function batchMatMul(inputs: Record<string, TensorInfo>, attrs: { transposeA: boolean; transposeB: boolean }): Tensor {
    const { a, b } = inputs;
    // tf.matMul hands 2-D operands over as they are (one batch); wasm's kernel makes them 3-D itself.
    const flat = a.shape.length === 2 && b.shape.length === 2;
    const batch = flat ? 1 : a.shape[0];
    const [r, c] = flat ? [0, 1] : [1, 2];
    const [m, k] = attrs.transposeA ? [a.shape[c], a.shape[r]] : [a.shape[r], a.shape[c]];
    const n = attrs.transposeB ? b.shape[r] : b.shape[c];
    const composed =
      (flat || (a.shape.length === 3 && b.shape.length === 3 && b.shape[0] === batch)) && a.dtype === 'float32' && b.dtype === 'float32' &&
      (batch > 1 || attrs.transposeA || attrs.transposeB) && batch <= COMPOSED_MATMUL.maxBatch && m * k * n >= COMPOSED_MATMUL.minWork;
    if (!composed) return native('BatchMatMul', inputs, attrs);
    const swap = flat ? [1, 0] : [0, 2, 1];
    const at = attrs.transposeA ? tf.transpose(asTensor(a), swap) : asTensor(a);
    const bt = attrs.transposeB ? tf.transpose(asTensor(b), swap) : asTensor(b);
    const one = { transposeA: false, transposeB: false };
    if (batch === 1) return native('BatchMatMul', { a: at, b: bt }, one);
    const parts = [];
    for (let i = 0; i < batch; i++) {
      parts.push(native('BatchMatMul', { a: tf.slice(at, [i, 0, 0], [1, m, k]), b: tf.slice(bt, [i, 0, 0], [1, k, n]) }, one));
    }
    return tf.concat(parts, 0);
  }

  /** wasm's own comparison on inputs of one shape; float inputs of different shapes are broadcast first. */
  function compare(name: (typeof COMPARISON_KERNELS)[number], inputs: Record<string, TensorInfo>): Tensor {
    let { a, b } = inputs;
    if (!tf.util.arraysEqual(a.shape, b.shape) && a.dtype === 'float32' && b.dtype === 'float32') {
      const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const full = (t: TensorInfo) => (tf.util.arraysEqual(t.shape, shape) ? t : tf.add(tf.zeros(shape), asTensor(t)));
      a = full(a);
      b = full(b);
    }
    return native(name, { a, b });
  }

  /** The part of wasm's backend that a kernel writing its own output uses (public methods of BackendWasm). */
  interface HeapBackend {
    makeOutput(shape: number[], dtype: string): TensorInfo;
    typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  }

  /**
   * wasm's own Slice copies all of x out of the heap into a new JS array (readSync) to keep a part of it.
   * In Chromium that fresh copy cost 3–5 ms for the stacked networks' [2, 2304, 64] activations, and the
   * composed BatchMatMul slices twice per product: 41 % of the dropout demo's frame (CPU profile). This
   * one reads x through a view of the heap and copies only the part, row by row of the last axis.
   */
  function slice({ inputs, attrs, backend }: Parameters<KernelConfig['kernelFunc']>[0]): TensorInfo {
    const x = inputs.x as TensorInfo;
    if (x.dtype === 'string') return nativeInfo('Slice', inputs as Record<string, TensorInfo>, attrs as Record<string, unknown>);
    const a = attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [begin, size] = tf.slice_util.parseSliceParams(x as Tensor, a.begin, a.size);
    const be = backend as unknown as HeapBackend;
    const out = be.makeOutput(size, x.dtype);
    const n = tf.util.sizeFromShape(size);
    if (n === 0) return out;
    // Views only after makeOutput: an allocation may grow the heap and detach earlier views.
    const xv = be.typedArrayFromHeap(x);
    const ov = be.typedArrayFromHeap(out);
    const strides = tf.util.computeStrides(x.shape);
    if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
      const at = tf.slice_util.computeFlatOffset(begin, strides);
      ov.set(xv.subarray(at, at + n));
      return out;
    }
    const rank = x.shape.length;
    const inner = size[rank - 1];
    const idx = new Array<number>(rank - 1).fill(0); // position among the outer axes of the part
    for (let o = 0; o < n; o += inner) {
      let at = begin[rank - 1];
      for (let d = 0; d < rank - 1; d++) at += (begin[d] + idx[d]) * strides[d];
      ov.set(xv.subarray(at, at + inner), o);
      for (let d = rank - 2; d >= 0 && ++idx[d] === size[d]; d--) idx[d] = 0;
    }
    return out;
  }
  /**
   * wasm's own SplitV runs its Slice function once per part, each copying all of x out of the heap: the
   * runtime's trainer splits its flat parameter vector into every layer's tensors at each step, so for the
   * init demo's four 20-layer networks that was 42 copies of 2 MB per step, 78 % of the frame (CPU profile).
   * Here each part goes through the heap-view slice above.
   */
  function splitV(args: Parameters<KernelConfig['kernelFunc']>[0]): TensorInfo[] {
    const x = args.inputs.x as TensorInfo;
    const a = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number | number[] };
    const axis = tf.util.parseAxisParam(a.axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as Tensor, a.numOrSizeSplits, axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((n) => {
      const size = [...x.shape];
      size[axis] = n;
      const part = slice({ ...args, attrs: { begin: [...begin], size } as unknown as TfNamespace.NamedAttrMap });
      begin[axis] += n;
      return part;
    });
  }
  /** Kernels written against the backend itself: they return its TensorInfo and allocate no tensors. */
  const direct: Partial<Record<KernelName, KernelConfig['kernelFunc']>> = { Slice: slice, SplitV: splitV as unknown as KernelConfig['kernelFunc'] };

  const registered: string[] = [];
  const register = (name: KernelName) => {
    const kernel = kernels[name as Exclude<KernelName, 'Slice' | 'SplitV'>];
    const own = direct[name];
    const kernelFunc: KernelConfig['kernelFunc'] = own
      ? (args) => own(args)
      : ({ inputs, attrs }) => tf.tidy(() => kernel(inputs as Record<string, TensorInfo>, attrs as Record<string, unknown>));
    // The comparisons call wasm's own kernel, which needs its setup (run when the backend initialises, or
    // now if it already has; findBackend would start initialising it, so the registry is read instead).
    const setupFunc = replacedNative.get(name)?.setupFunc;
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: Object.assign(kernelFunc, { [COMPOSED]: true }), setupFunc });
    const wasm = tf.engine().registry.wasm;
    if (setupFunc && wasm) setupFunc(wasm);
    registered.push(name);
  };
  for (const name of MISSING_WASM_KERNELS) {
    if (tf.getKernel(name, 'wasm') == null) register(name);
  }
  for (const name of REPLACED_WASM_KERNELS) {
    const current = tf.getKernel(name, 'wasm');
    const ours = isComposedWasmKernel(tf, name);
    if (options[optionFor(name)] === 'native') {
      if (ours) tf.unregisterKernel(name, 'wasm');
      const native = replacedNative.get(name);
      if ((ours || current == null) && native) {
        tf.registerKernel(native);
        // The engine runs setup functions only when a backend initialises; wasm may be running already.
        const wasm = tf.findBackend('wasm');
        if (wasm != null) native.setupFunc?.(wasm);
      }
      continue;
    }
    if (ours) continue;
    if (current) {
      replacedNative.set(name, current);
      tf.unregisterKernel(name, 'wasm');
    }
    register(name);
  }
  return registered;
}
