/**
 * The architecture explorer's public API: `summarize(name, { resolution })` counts parameters, multiply-adds,
 * activation memory and receptive fields of a named architecture, layer by layer, for a 3×r×r input, batch 1,
 * from a description of its graph (./zoo.ts) — no weights are allocated, no tfjs needed.
 * Conventions (those of torchvision's model docs and of fvcore): see ./graph.ts.
 */
import { GraphBuilder, type Summary } from '../runtime/arch/graph';
import { densenet121, efficientnet, EFFICIENTNET_TORCHVISION, EFFICIENTNET_VARIANTS, googlenet, mobilenetV1, mobilenetV2, resnet, shufflenetV2, squeezenet, vgg16, xception, type ResNetSpec } from '../runtime/arch/zoo';

export type { Layer, Summary, Shape, Op, Totals } from '../runtime/arch/graph';
export { GraphBuilder } from '../runtime/arch/graph';

export const ARCHITECTURES = [
  'vgg16',
  'resnet18',
  'resnet50',
  'resnext50_32x4d',
  'wide_resnet50_2',
  'googlenet',
  'mobilenet_v1',
  'mobilenet_v2',
  'squeezenet1_0',
  'squeezenet1_1',
  'shufflenet_v2_x1_0',
  'xception',
  'efficientnet_b0',
  'efficientnet_b1',
  'efficientnet_b2',
  'efficientnet_b3',
  'efficientnet_b4',
  'efficientnet_b5',
  'efficientnet_b6',
  'efficientnet_b7',
  'densenet121',
] as const;
export type ArchName = (typeof ARCHITECTURES)[number];

/** Width multipliers each architecture defines (torchvision's variants, or its paper's); absent: none. */
export const WIDTHS: Partial<Record<ArchName, readonly number[]>> = {
  mobilenet_v1: [0.25, 0.5, 0.75, 1], // Howard et al. 2017, Table 6
  mobilenet_v2: [0.35, 0.5, 0.75, 1, 1.3, 1.4], // Sandler et al. 2018, Table 6 / Figure 5 (torchvision: width_mult)
  shufflenet_v2_x1_0: [0.5, 1, 1.5, 2], // torchvision's shufflenet_v2_x0_5 … x2_0 (Ma et al. 2018, Table 5)
};

const isEfficientNet = (a: ArchName): a is keyof typeof EFFICIENTNET_VARIANTS => a in EFFICIENTNET_VARIANTS;

/**
 * The resolution each architecture was published at (Xception: 299; EfficientNet B1…B7: the crop size of
 * torchvision's weights, 240…600; the others 224).
 */
export const NATIVE_RESOLUTION: Record<ArchName, number> = Object.fromEntries(
  ARCHITECTURES.map((a) => [a, a === 'xception' ? 299 : isEfficientNet(a) ? EFFICIENTNET_VARIANTS[a].resolution : 224]),
) as Record<ArchName, number>;

export const resnetSpecs: Record<'resnet18' | 'resnet50' | 'resnext50_32x4d' | 'wide_resnet50_2', ResNetSpec> = {
  resnet18: { block: 'basic', layers: [2, 2, 2, 2] },
  resnet50: { block: 'bottleneck', layers: [3, 4, 6, 3] },
  resnext50_32x4d: { block: 'bottleneck', layers: [3, 4, 6, 3], groups: 32, widthPerGroup: 4 },
  wide_resnet50_2: { block: 'bottleneck', layers: [3, 4, 6, 3], widthPerGroup: 128 },
};

/**
 * Published figures. torchvision's model docs: parameters and "GFLOPS" at 224 (EfficientNets: at their crop size) (which are giga multiply-adds of
 * convolution and linear layers, rounded to 2 decimals). Howard et al. 2017 (MobileNet, Table 8: 569 M mult-adds,
 * 4.2 M parameters) and Chollet 2017 (Xception, Table 3: 22,855,952 parameters at 299).
 */
export const PUBLISHED: Record<ArchName, { params: number; gmacs?: number; resolution: number; source: string; paramDigits?: number }> = {
  vgg16: { params: 138_357_544, gmacs: 15.47, resolution: 224, source: 'torchvision' },
  resnet18: { params: 11_689_512, gmacs: 1.81, resolution: 224, source: 'torchvision' },
  resnet50: { params: 25_557_032, gmacs: 4.09, resolution: 224, source: 'torchvision' },
  resnext50_32x4d: { params: 25_028_904, gmacs: 4.23, resolution: 224, source: 'torchvision' },
  wide_resnet50_2: { params: 68_883_240, gmacs: 11.4, resolution: 224, source: 'torchvision' },
  googlenet: { params: 6_624_904, gmacs: 1.5, resolution: 224, source: 'torchvision' },
  mobilenet_v1: { params: 4.2e6, gmacs: 0.569, resolution: 224, source: 'Howard et al. 2017, Table 8', paramDigits: 1 },
  mobilenet_v2: { params: 3_504_872, gmacs: 0.3, resolution: 224, source: 'torchvision' },
  squeezenet1_0: { params: 1_248_424, gmacs: 0.82, resolution: 224, source: 'torchvision' },
  squeezenet1_1: { params: 1_235_496, gmacs: 0.35, resolution: 224, source: 'torchvision' },
  shufflenet_v2_x1_0: { params: 2_278_604, gmacs: 0.14, resolution: 224, source: 'torchvision' },
  xception: { params: 22_855_952, resolution: 299, source: 'Chollet 2017, Table 3' },
  ...(Object.fromEntries(
    Object.entries(EFFICIENTNET_TORCHVISION).map(([a, p]) => [a, { params: p.params, gmacs: Number(p.gmacs.toFixed(2)), resolution: EFFICIENTNET_VARIANTS[a as keyof typeof EFFICIENTNET_VARIANTS].resolution, source: 'torchvision' }]),
  ) as Record<keyof typeof EFFICIENTNET_VARIANTS, { params: number; gmacs: number; resolution: number; source: string }>),
  densenet121: { params: 7_978_856, gmacs: 2.83, resolution: 224, source: 'torchvision' },
};

/** torchvision's figures for its other ShuffleNet V2 widths (shufflenet_v2_x0_5, x1_5, x2_0), at 224. */
export const SHUFFLENET_PUBLISHED: Record<number, { params: number; gmacs: number }> = {
  0.5: { params: 1_366_792, gmacs: 0.04 },
  1: { params: PUBLISHED.shufflenet_v2_x1_0.params, gmacs: PUBLISHED.shufflenet_v2_x1_0.gmacs! },
  1.5: { params: 3_503_624, gmacs: 0.3 },
  2: { params: 7_393_996, gmacs: 0.58 },
};

/** The published figures for an architecture at a width multiplier, where a source gives them; else null. */
export function publishedAt(arch: ArchName, width: number): { params: number; gmacs?: number; paramDigits?: number; source: string; resolution: number } | null {
  if (width === 1) return PUBLISHED[arch];
  if (arch === 'shufflenet_v2_x1_0' && SHUFFLENET_PUBLISHED[width]) return { ...SHUFFLENET_PUBLISHED[width], source: 'torchvision', resolution: 224 };
  const row = arch === 'mobilenet_v1' ? MOBILENET_V1_PAPER.widths.find((r) => r.width === width) : undefined;
  if (row) return { params: row.mparams * 1e6, gmacs: row.mmacs / 1e3, paramDigits: 1, source: 'Howard et al. 2017, Table 6', resolution: 224 };
  return null;
}

export interface SummarizeOptions {
  /** Input height and width (default: the architecture's published resolution). */
  resolution?: number;
  /** Width multiplier, where the architecture defines one (see WIDTHS); default 1. */
  width?: number;
}

/** Fills a builder with the named architecture. Throws with a clear message for unknown names or widths. */
export function describe(name: string, opts: SummarizeOptions = {}): GraphBuilder {
  if (!(ARCHITECTURES as readonly string[]).includes(name)) throw new Error(`unknown architecture "${name}"; known: ${ARCHITECTURES.join(', ')}`);
  const arch = name as ArchName;
  const r = opts.resolution ?? NATIVE_RESOLUTION[arch];
  if (!Number.isInteger(r) || r < 1) throw new Error(`resolution must be a positive integer, got ${r}`);
  const width = opts.width ?? 1;
  const allowed = WIDTHS[arch] ?? [1];
  if (!allowed.includes(width)) throw new Error(`${arch} defines width multipliers ${allowed.join(', ')}, not ${width}`);
  const b = new GraphBuilder(width === 1 ? arch : `${arch} ×${width}`);
  switch (arch) {
    case 'vgg16':
      vgg16(b, r);
      break;
    case 'resnet18':
    case 'resnet50':
    case 'resnext50_32x4d':
    case 'wide_resnet50_2':
      resnet(b, r, resnetSpecs[arch]);
      break;
    case 'googlenet':
      googlenet(b, r);
      break;
    case 'mobilenet_v1':
      mobilenetV1(b, r, width);
      break;
    case 'mobilenet_v2':
      mobilenetV2(b, r, width);
      break;
    case 'squeezenet1_0':
      squeezenet(b, r, '1_0');
      break;
    case 'squeezenet1_1':
      squeezenet(b, r, '1_1');
      break;
    case 'shufflenet_v2_x1_0':
      shufflenetV2(b, r, width.toFixed(1));
      break;
    case 'xception':
      xception(b, r);
      break;
    case 'efficientnet_b0':
    case 'efficientnet_b1':
    case 'efficientnet_b2':
    case 'efficientnet_b3':
    case 'efficientnet_b4':
    case 'efficientnet_b5':
    case 'efficientnet_b6':
    case 'efficientnet_b7':
      efficientnet(b, r, EFFICIENTNET_VARIANTS[arch]);
      break;
    case 'densenet121':
      densenet121(b, r);
      break;
  }
  return b;
}

/**
 * Parameters, multiply-adds (conv and linear, weights only), activation memory and receptive fields of a named
 * architecture for a 3×resolution×resolution input, batch 1, with one row per layer. Pure: works in Node with
 * nothing set up.
 */
export function summarize(name: string, opts: SummarizeOptions = {}): Summary {
  const r = opts.resolution ?? ((ARCHITECTURES as readonly string[]).includes(name) ? NATIVE_RESOLUTION[name as ArchName] : 224);
  return describe(name, { ...opts, resolution: r }).summary(r);
}

/** A ResNet of any stage sizes (e.g. a tiny CIFAR-size one for building a real model in a test). */
export function summarizeResNet(spec: ResNetSpec, resolution: number): Summary {
  const b = new GraphBuilder('resnet');
  resnet(b, resolution, spec);
  return b.summary(resolution);
}

/**
 * MobileNet v1's own cost tables (Howard et al. 2017): Table 6 (width multiplier α at 224), Table 7
 * (resolution at α = 1), both in millions of mult-adds and of parameters, and Table 2's share of the
 * mult-adds in 1×1 and in depthwise 3×3 convolutions.
 */
export const MOBILENET_V1_PAPER = {
  widths: [
    { width: 1, mmacs: 569, mparams: 4.2 },
    { width: 0.75, mmacs: 325, mparams: 2.6 },
    { width: 0.5, mmacs: 149, mparams: 1.3 },
    { width: 0.25, mmacs: 41, mparams: 0.5 },
  ],
  resolutions: [
    { resolution: 224, mmacs: 569 },
    { resolution: 192, mmacs: 418 },
    { resolution: 160, mmacs: 290 },
    { resolution: 128, mmacs: 186 },
  ],
  shareMacs: { pointwise: 0.9486, depthwise: 0.0306 },
} as const;
