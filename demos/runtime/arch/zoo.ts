/**
 * The architectures, described layer by layer as torchvision builds them (mobilenet_v1 and xception as their
 * papers and the Keras reference implementation do). Each function fills a GraphBuilder for a 3×r×r input.
 */
import { GraphBuilder } from './graph';

type B = GraphBuilder;

/** torchvision's `_make_divisible`: round to the nearest multiple of `divisor`, never down by more than 10 %. */
export function makeDivisible(v: number, divisor = 8): number {
  let n = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

/** conv (no bias) → BN → activation: torchvision's Conv2dNormActivation / BasicConv2d. */
function convBnAct(b: B, x: number, cout: number, k: number, o: { stride?: number; groups?: number; act?: string | null; pad?: number; name?: string } = {}): number {
  const p = o.name ? `${o.name}.` : '';
  let y = b.conv(x, cout, k, { stride: o.stride, pad: o.pad ?? (k - 1) / 2, groups: o.groups, bias: false, name: o.name ? `${o.name}.conv` : 'conv' });
  y = b.bn(y, `${p}bn`);
  if (o.act !== null) y = b.act(y, o.act ?? 'relu', `${p}${o.act ?? 'relu'}`);
  return y;
}

// ---------------------------------------------------------------- VGG

export function vgg16(b: B, r: number): void {
  let x = b.input(3, r);
  const cfg = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];
  let n = 0;
  cfg.forEach((widths, s) =>
    b.stage(`block${s + 1}`, () => {
      for (const c of widths) {
        x = b.conv(x, c, 3, { pad: 1, bias: true, name: `features.${n}` });
        x = b.act(x, 'relu', `features.${n + 1}`);
        n += 2;
      }
      x = b.pool(x, 'max', 2, { stride: 2, name: `features.${n}` });
      n += 1;
    }),
  );
  b.stage('classifier', () => {
    x = b.adaptivePool(x, 7, 'avgpool');
    x = b.flatten(x);
    x = b.linear(x, 4096, { name: 'classifier.0' });
    x = b.act(x, 'relu', 'classifier.1');
    x = b.dropout(x, 0.5, 'classifier.2');
    x = b.linear(x, 4096, { name: 'classifier.3' });
    x = b.act(x, 'relu', 'classifier.4');
    x = b.dropout(x, 0.5, 'classifier.5');
    b.linear(x, 1000, { name: 'classifier.6' });
  });
}

// ---------------------------------------------------------------- ResNet family

export interface ResNetSpec {
  block: 'basic' | 'bottleneck';
  layers: number[];
  /** Channels of each stage's 3×3 convolutions before widening (torchvision: 64, 128, 256, 512). */
  planes?: number[];
  groups?: number;
  widthPerGroup?: number;
  /** The stem: 'imagenet' (7×7/2 conv and a 3×3/2 max pool) or 'cifar' (one 3×3 conv, no pool). */
  stem?: 'imagenet' | 'cifar';
  stemWidth?: number;
  classes?: number;
}

function basicBlock(b: B, x: number, planes: number, stride: number): number {
  const cin = b.channels(x);
  const main = b.branch('main', () => {
    let y = b.conv(x, planes, 3, { stride, pad: 1, bias: false, name: 'conv1' });
    y = b.bn(y, 'bn1');
    y = b.act(y, 'relu', 'relu1');
    y = b.conv(y, planes, 3, { pad: 1, bias: false, name: 'conv2' });
    return b.bn(y, 'bn2');
  });
  const short = b.branch('shortcut', () =>
    stride !== 1 || cin !== planes ? b.bn(b.conv(x, planes, 1, { stride, bias: false, name: 'downsample.0' }), 'downsample.1') : b.identity(x),
  );
  return b.act(b.sum([main, short]), 'relu', 'relu');
}

function bottleneck(b: B, x: number, planes: number, stride: number, groups: number, widthPerGroup: number): number {
  const cin = b.channels(x);
  const width = Math.floor(planes * (widthPerGroup / 64)) * groups;
  const cout = planes * 4;
  const main = b.branch('main', () => {
    let y = b.conv(x, width, 1, { bias: false, name: 'conv1' });
    y = b.act(b.bn(y, 'bn1'), 'relu', 'relu1');
    y = b.conv(y, width, 3, { stride, pad: 1, groups, bias: false, name: 'conv2' });
    y = b.act(b.bn(y, 'bn2'), 'relu', 'relu2');
    y = b.conv(y, cout, 1, { bias: false, name: 'conv3' });
    return b.bn(y, 'bn3');
  });
  const short = b.branch('shortcut', () =>
    stride !== 1 || cin !== cout ? b.bn(b.conv(x, cout, 1, { stride, bias: false, name: 'downsample.0' }), 'downsample.1') : b.identity(x),
  );
  return b.act(b.sum([main, short]), 'relu', 'relu');
}

export function resnet(b: B, r: number, spec: ResNetSpec): void {
  const planes = spec.planes ?? [64, 128, 256, 512];
  const stemWidth = spec.stemWidth ?? 64;
  let x = b.input(3, r);
  b.stage('stem', () => {
    if ((spec.stem ?? 'imagenet') === 'imagenet') {
      x = b.conv(x, stemWidth, 7, { stride: 2, pad: 3, bias: false, name: 'conv1' });
      x = b.act(b.bn(x, 'bn1'), 'relu', 'relu');
      x = b.pool(x, 'max', 3, { stride: 2, pad: 1, name: 'maxpool' });
    } else {
      x = b.conv(x, stemWidth, 3, { pad: 1, bias: false, name: 'conv1' });
      x = b.act(b.bn(x, 'bn1'), 'relu', 'relu');
    }
  });
  spec.layers.forEach((n, s) =>
    b.stage(`layer${s + 1}`, () => {
      for (let i = 0; i < n; i++) {
        const stride = i === 0 && s > 0 ? 2 : 1;
        x = b.block(`layer${s + 1}.${i}`, () =>
          spec.block === 'basic' ? basicBlock(b, x, planes[s], stride) : bottleneck(b, x, planes[s], stride, spec.groups ?? 1, spec.widthPerGroup ?? 64),
        );
      }
    }),
  );
  b.stage('head', () => {
    x = b.flatten(b.adaptivePool(x, 1, 'avgpool'));
    b.linear(x, spec.classes ?? 1000, { name: 'fc' });
  });
}

// ---------------------------------------------------------------- GoogLeNet

function inception(b: B, x: number, c1: number, r3: number, c3: number, r5: number, c5: number, pp: number): number {
  const a = b.branch('branch1', () => convBnAct(b, x, c1, 1, { name: 'branch1' }));
  const c = b.branch('branch2', () => convBnAct(b, convBnAct(b, x, r3, 1, { name: 'branch2.0' }), c3, 3, { name: 'branch2.1' }));
  // torchvision's "5×5" branch is a 3×3 convolution (a known quirk of its port of the original weights).
  const d = b.branch('branch3', () => convBnAct(b, convBnAct(b, x, r5, 1, { name: 'branch3.0' }), c5, 3, { name: 'branch3.1' }));
  const e = b.branch('branch4', () => convBnAct(b, b.pool(x, 'max', 3, { stride: 1, pad: 1, ceil: true, name: 'branch4.0' }), pp, 1, { name: 'branch4.1' }));
  return b.concat([a, c, d, e]);
}

export function googlenet(b: B, r: number): void {
  let x = b.input(3, r);
  b.stage('stem', () => {
    x = convBnAct(b, x, 64, 7, { stride: 2, pad: 3, name: 'conv1' });
    x = b.pool(x, 'max', 3, { stride: 2, ceil: true, name: 'maxpool1' });
    x = convBnAct(b, x, 64, 1, { name: 'conv2' });
    x = convBnAct(b, x, 192, 3, { pad: 1, name: 'conv3' });
    x = b.pool(x, 'max', 3, { stride: 2, ceil: true, name: 'maxpool2' });
  });
  const mods: [string, number[]][][] = [
    [['inception3a', [64, 96, 128, 16, 32, 32]], ['inception3b', [128, 128, 192, 32, 96, 64]]],
    [['inception4a', [192, 96, 208, 16, 48, 64]], ['inception4b', [160, 112, 224, 24, 64, 64]], ['inception4c', [128, 128, 256, 24, 64, 64]], ['inception4d', [112, 144, 288, 32, 64, 64]], ['inception4e', [256, 160, 320, 32, 128, 128]]],
    [['inception5a', [256, 160, 320, 32, 128, 128]], ['inception5b', [384, 192, 384, 48, 128, 128]]],
  ];
  mods.forEach((stage, s) =>
    b.stage(`stage${s + 3}`, () => {
      if (s === 1) x = b.pool(x, 'max', 3, { stride: 2, ceil: true, name: 'maxpool3' });
      if (s === 2) x = b.pool(x, 'max', 2, { stride: 2, ceil: true, name: 'maxpool4' });
      for (const [name, c] of stage) x = b.block(name, () => inception(b, x, c[0], c[1], c[2], c[3], c[4], c[5]));
    }),
  );
  b.stage('head', () => {
    x = b.flatten(b.adaptivePool(x, 1, 'avgpool'));
    x = b.dropout(x, 0.2);
    b.linear(x, 1000, { name: 'fc' });
  });
}

// ---------------------------------------------------------------- MobileNets

/** MobileNet v1 as in Howard et al. 2017, Table 1: conv 3×3/2 then 13 depthwise separable blocks; BN after every conv, no conv bias. */
export function mobilenetV1(b: B, r: number, alpha = 1): void {
  const c = (n: number) => Math.floor(n * alpha);
  let x = b.input(3, r);
  b.stage('stem', () => {
    x = convBnAct(b, x, c(32), 3, { stride: 2, pad: 1, name: 'conv1' });
  });
  const cfg: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
  b.stage('separable', () =>
    cfg.forEach(([out, s], i) => {
      x = b.block(`block${i + 1}`, () => {
        const dw = convBnAct(b, x, b.channels(x), 3, { stride: s, pad: 1, groups: b.channels(x), name: 'dw' });
        return convBnAct(b, dw, c(out), 1, { name: 'pw' });
      });
    }),
  );
  b.stage('head', () => {
    x = b.flatten(b.adaptivePool(x, 1, 'avgpool'));
    b.linear(x, 1000, { name: 'fc' });
  });
}

export function mobilenetV2(b: B, r: number, width = 1): void {
  let x = b.input(3, r);
  let cin = makeDivisible(32 * width);
  const last = makeDivisible(1280 * Math.max(1, width));
  b.stage('stem', () => {
    x = convBnAct(b, x, cin, 3, { stride: 2, act: 'relu6', name: 'features.0' });
  });
  const cfg = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
  let f = 1;
  cfg.forEach(([t, ch, n, s], si) =>
    b.stage(`stage${si + 1} (t=${t}, c=${ch})`, () => {
      const out = makeDivisible(ch * width);
      for (let i = 0; i < n; i++) {
        const stride = i === 0 ? s : 1;
        const inp = cin;
        x = b.block(`features.${f}`, () => {
          const residual = stride === 1 && inp === out;
          const body = () => {
            const hidden = Math.round(inp * t);
            let y = x;
            if (t !== 1) y = convBnAct(b, y, hidden, 1, { act: 'relu6', name: 'expand' });
            y = convBnAct(b, y, hidden, 3, { stride, groups: hidden, act: 'relu6', name: 'dw' });
            return convBnAct(b, y, out, 1, { act: null, name: 'project' });
          };
          if (!residual) return body();
          const m = b.branch('main', body);
          const id = b.branch('shortcut', () => b.identity(x));
          return b.sum([m, id]);
        });
        cin = out;
        f += 1;
      }
    }),
  );
  b.stage('head', () => {
    x = convBnAct(b, x, last, 1, { act: 'relu6', name: `features.${f}` });
    x = b.flatten(b.adaptivePool(x, 1, 'avgpool'));
    x = b.dropout(x, 0.2);
    b.linear(x, 1000, { name: 'classifier.1' });
  });
}

// ---------------------------------------------------------------- SqueezeNet

function fire(b: B, x: number, s: number, e1: number, e3: number): number {
  const sq = b.act(b.conv(x, s, 1, { name: 'squeeze' }), 'relu', 'squeeze_activation');
  const a = b.branch('expand1x1', () => b.act(b.conv(sq, e1, 1, { name: 'expand1x1' }), 'relu', 'expand1x1_activation'));
  const c = b.branch('expand3x3', () => b.act(b.conv(sq, e3, 3, { pad: 1, name: 'expand3x3' }), 'relu', 'expand3x3_activation'));
  return b.concat([a, c]);
}

export function squeezenet(b: B, r: number, version: '1_0' | '1_1'): void {
  let x = b.input(3, r);
  const fires: [number, number, number][] =
    version === '1_0'
      ? [[16, 64, 64], [16, 64, 64], [32, 128, 128], [32, 128, 128], [48, 192, 192], [48, 192, 192], [64, 256, 256], [64, 256, 256]]
      : [[16, 64, 64], [16, 64, 64], [32, 128, 128], [32, 128, 128], [48, 192, 192], [48, 192, 192], [64, 256, 256], [64, 256, 256]];
  // Where the max pools sit (after which fire module), as torchvision's features list.
  const poolsAfter = version === '1_0' ? [3, 7] : [2, 4];
  b.stage('stem', () => {
    x = version === '1_0' ? b.conv(x, 96, 7, { stride: 2, name: 'features.0' }) : b.conv(x, 64, 3, { stride: 2, name: 'features.0' });
    x = b.act(x, 'relu', 'features.1');
    x = b.pool(x, 'max', 3, { stride: 2, ceil: true, name: 'features.2' });
  });
  b.stage('fire', () =>
    fires.forEach(([s, e1, e3], i) => {
      x = b.block(`fire${i + 2}`, () => fire(b, x, s, e1, e3));
      if (poolsAfter.includes(i + 1)) x = b.pool(x, 'max', 3, { stride: 2, ceil: true, name: `maxpool${i + 2}` });
    }),
  );
  b.stage('classifier', () => {
    x = b.dropout(x, 0.5, 'classifier.0');
    x = b.act(b.conv(x, 1000, 1, { name: 'classifier.1' }), 'relu', 'classifier.2');
    b.flatten(b.adaptivePool(x, 1, 'classifier.3'));
  });
}

// ---------------------------------------------------------------- ShuffleNet V2

export const SHUFFLENET_WIDTHS: Record<string, number[]> = {
  '0.5': [24, 48, 96, 192, 1024],
  '1.0': [24, 116, 232, 464, 1024],
  '1.5': [24, 176, 352, 704, 1024],
  '2.0': [24, 244, 488, 976, 2048],
};

function shuffleUnit(b: B, x: number, oup: number, stride: number): number {
  const inp = b.channels(x);
  const bf = oup / 2;
  const branch2 = (y: number) => {
    y = convBnAct(b, y, bf, 1, { name: 'branch2.0' });
    y = convBnAct(b, y, bf, 3, { stride, groups: bf, act: null, name: 'branch2.3' });
    return convBnAct(b, y, bf, 1, { name: 'branch2.5' });
  };
  let cat: number;
  if (stride === 1) {
    const a = b.branch('x1', () => b.split(x, 0, inp / 2, 'split1'));
    const c = b.branch('x2', () => branch2(b.split(x, inp / 2, inp, 'split2')));
    cat = b.concat([a, c]);
  } else {
    const a = b.branch('branch1', () => {
      const y = convBnAct(b, x, inp, 3, { stride, groups: inp, act: null, name: 'branch1.0' });
      return convBnAct(b, y, bf, 1, { name: 'branch1.2' });
    });
    const c = b.branch('branch2', () => branch2(x));
    cat = b.concat([a, c]);
  }
  return b.shuffle(cat, 2);
}

export function shufflenetV2(b: B, r: number, width = '1.0'): void {
  const ch = SHUFFLENET_WIDTHS[width];
  if (!ch) throw new Error(`ShuffleNet V2 defines widths ${Object.keys(SHUFFLENET_WIDTHS).join(', ')}, not ${width}`);
  let x = b.input(3, r);
  b.stage('stem', () => {
    x = convBnAct(b, x, ch[0], 3, { stride: 2, name: 'conv1' });
    x = b.pool(x, 'max', 3, { stride: 2, pad: 1, name: 'maxpool' });
  });
  [4, 8, 4].forEach((n, s) =>
    b.stage(`stage${s + 2}`, () => {
      for (let i = 0; i < n; i++) x = b.block(`stage${s + 2}.${i}`, () => shuffleUnit(b, x, ch[s + 1], i === 0 ? 2 : 1));
    }),
  );
  b.stage('head', () => {
    x = convBnAct(b, x, ch[4], 1, { name: 'conv5' });
    x = b.flatten(b.adaptivePool(x, 1, 'mean'));
    b.linear(x, 1000, { name: 'fc' });
  });
}

// ---------------------------------------------------------------- EfficientNet B0…B7

/** B0's stages as torchvision lists them: expand ratio, kernel, stride, input channels, output channels, layers. */
export const EFFICIENTNET_B0_STAGES: readonly (readonly [number, number, number, number, number, number])[] = [
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
];

/** One member of the family: width and depth multipliers, the resolution torchvision evaluates it at, dropout. */
export interface EfficientNetVariant {
  width: number;
  depth: number;
  resolution: number;
  dropout: number;
}

/**
 * torchvision's `efficientnet_b0` … `efficientnet_b7`: (width_mult, depth_mult) and dropout as its builders pass
 * them, and the crop size of its published weights (B2 is evaluated at 288, the paper's B2 at 260).
 */
export const EFFICIENTNET_VARIANTS = {
  efficientnet_b0: { width: 1.0, depth: 1.0, resolution: 224, dropout: 0.2 },
  efficientnet_b1: { width: 1.0, depth: 1.1, resolution: 240, dropout: 0.2 },
  efficientnet_b2: { width: 1.1, depth: 1.2, resolution: 288, dropout: 0.3 },
  efficientnet_b3: { width: 1.2, depth: 1.4, resolution: 300, dropout: 0.3 },
  efficientnet_b4: { width: 1.4, depth: 1.8, resolution: 380, dropout: 0.4 },
  efficientnet_b5: { width: 1.6, depth: 2.2, resolution: 456, dropout: 0.4 },
  efficientnet_b6: { width: 1.8, depth: 2.6, resolution: 528, dropout: 0.5 },
  efficientnet_b7: { width: 2.0, depth: 3.1, resolution: 600, dropout: 0.5 },
} as const satisfies Record<string, EfficientNetVariant>;
export type EfficientNetName = keyof typeof EFFICIENTNET_VARIANTS;

/** torchvision's `MBConvConfig.adjust_channels`: channels × width, made divisible by 8. */
export const roundFilters = (channels: number, width: number): number => makeDivisible(channels * width, 8);
/** torchvision's `MBConvConfig.adjust_depth`: ceil(layers × depth). */
export const roundRepeats = (layers: number, depth: number): number => Math.ceil(layers * depth);

/** EfficientNet as torchvision builds it for (width, depth, dropout); B0 is width = depth = 1. */
export function efficientnet(b: B, r: number, v: Pick<EfficientNetVariant, 'width' | 'depth' | 'dropout'> = EFFICIENTNET_VARIANTS.efficientnet_b0): void {
  let x = b.input(3, r);
  const cfg = EFFICIENTNET_B0_STAGES.map(([t, k, s, cin, cout, n]) => [t, k, s, roundFilters(cin, v.width), roundFilters(cout, v.width), roundRepeats(n, v.depth)] as const);
  b.stage('stem', () => {
    x = convBnAct(b, x, cfg[0][3], 3, { stride: 2, act: 'silu', name: 'features.0' });
  });
  cfg.forEach(([t, k, s, cin0, cout, n], si) =>
    b.stage(`features.${si + 1} (MBConv${t}, ${k}×${k})`, () => {
      for (let i = 0; i < n; i++) {
        const cin = i === 0 ? cin0 : cout;
        const stride = i === 0 ? s : 1;
        x = b.block(`features.${si + 1}.${i}`, () => {
          const body = () => {
            const expanded = makeDivisible(cin * t);
            let y = x;
            if (expanded !== cin) y = convBnAct(b, y, expanded, 1, { act: 'silu', name: 'expand' });
            y = convBnAct(b, y, expanded, k, { stride, groups: expanded, act: 'silu', name: 'dw' });
            const squeeze = Math.max(1, Math.floor(cin / 4));
            const gate = b.branch('se', () => {
              let g = b.adaptivePool(y, 1, 'se.avgpool');
              g = b.act(b.conv(g, squeeze, 1, { name: 'se.fc1' }), 'silu', 'se.silu');
              return b.act(b.conv(g, expanded, 1, { name: 'se.fc2' }), 'sigmoid', 'se.sigmoid');
            });
            const keep = b.branch('features', () => b.identity(y, 'se.identity'));
            y = b.mul(keep, gate, 'se.scale');
            return convBnAct(b, y, cout, 1, { act: null, name: 'project' });
          };
          if (!(stride === 1 && cin === cout)) return body();
          const m = b.branch('main', body);
          const id = b.branch('shortcut', () => b.identity(x));
          return b.sum([m, id]);
        });
      }
    }),
  );
  b.stage('head', () => {
    const last = cfg[cfg.length - 1][4];
    x = convBnAct(b, x, 4 * last, 1, { act: 'silu', name: `features.${cfg.length + 1}` });
    x = b.flatten(b.adaptivePool(x, 1, 'avgpool'));
    x = b.dropout(x, v.dropout);
    b.linear(x, 1000, { name: 'classifier.1' });
  });
}

/** EfficientNet-B0 (torchvision's `efficientnet_b0`). */
export function efficientnetB0(b: B, r: number): void {
  efficientnet(b, r, EFFICIENTNET_VARIANTS.efficientnet_b0);
}

/**
 * Parameters, multiply-adds and the layer table of one EfficientNet at a resolution (default: torchvision's crop
 * size for it). Pure: no tfjs.
 */
export function summarizeEfficientNet(name: EfficientNetName, resolution: number = EFFICIENTNET_VARIANTS[name].resolution) {
  const b = new GraphBuilder(name);
  efficientnet(b, resolution, EFFICIENTNET_VARIANTS[name]);
  return b.summary(resolution);
}

/**
 * torchvision's published figures for its EfficientNet weights: `num_params` and `_ops` (giga multiply-adds of
 * convolution and linear layers at the crop size, 3 decimals; its docs print them to 2), and ImageNet top-1 of
 * the IMAGENET1K_V1 weights, ported from the paper's.
 */
export const EFFICIENTNET_TORCHVISION: Record<EfficientNetName, { params: number; gmacs: number; top1: number }> = {
  efficientnet_b0: { params: 5_288_548, gmacs: 0.386, top1: 77.692 },
  efficientnet_b1: { params: 7_794_184, gmacs: 0.687, top1: 78.642 },
  efficientnet_b2: { params: 9_109_994, gmacs: 1.088, top1: 80.608 },
  efficientnet_b3: { params: 12_233_232, gmacs: 1.827, top1: 82.008 },
  efficientnet_b4: { params: 19_341_616, gmacs: 4.394, top1: 83.384 },
  efficientnet_b5: { params: 30_389_784, gmacs: 10.266, top1: 83.444 },
  efficientnet_b6: { params: 43_040_704, gmacs: 19.068, top1: 84.008 },
  efficientnet_b7: { params: 66_347_960, gmacs: 37.746, top1: 84.122 },
};

// ---------------------------------------------------------------- DenseNet-121

export function densenet121(b: B, r: number, growth = 32, blocks = [6, 12, 24, 16], bnSize = 4, init = 64): void {
  let x = b.input(3, r);
  b.stage('stem', () => {
    x = b.conv(x, init, 7, { stride: 2, pad: 3, bias: false, name: 'conv0' });
    x = b.act(b.bn(x, 'norm0'), 'relu', 'relu0');
    x = b.pool(x, 'max', 3, { stride: 2, pad: 1, name: 'pool0' });
  });
  blocks.forEach((n, bi) => {
    b.stage(`denseblock${bi + 1}`, () => {
      for (let i = 0; i < n; i++) {
        x = b.block(`denseblock${bi + 1}.denselayer${i + 1}`, () => {
          const prev = b.branch('features', () => b.identity(x));
          const fresh = b.branch('new', () => {
            let y = b.act(b.bn(x, 'norm1'), 'relu', 'relu1');
            y = b.conv(y, bnSize * growth, 1, { bias: false, name: 'conv1' });
            y = b.act(b.bn(y, 'norm2'), 'relu', 'relu2');
            return b.conv(y, growth, 3, { pad: 1, bias: false, name: 'conv2' });
          });
          return b.concat([prev, fresh]);
        });
      }
    });
    if (bi < blocks.length - 1)
      b.stage(`transition${bi + 1}`, () =>
        b.block(`transition${bi + 1}`, () => {
          x = b.act(b.bn(x, 'norm'), 'relu', 'relu');
          x = b.conv(x, Math.floor(b.channels(x) / 2), 1, { bias: false, name: 'conv' });
          x = b.pool(x, 'avg', 2, { stride: 2, name: 'pool' });
        }),
      );
  });
  b.stage('head', () => {
    x = b.act(b.bn(x, 'norm5'), 'relu', 'relu5');
    x = b.flatten(b.adaptivePool(x, 1, 'avgpool'));
    b.linear(x, 1000, { name: 'classifier' });
  });
}

// ---------------------------------------------------------------- Xception

/** Xception as in Chollet 2017, Figure 5, and its Keras reference implementation ('same'/'valid' padding as there). */
export function xception(b: B, r: number): void {
  let x = b.input(3, r);
  const sep = (y: number, c: number, name: string) => b.bn(b.sepconv(y, c, 3, { pad: 'same', bias: false, name }), `${name}_bn`);
  b.stage('entry flow', () => {
    x = b.act(b.bn(b.conv(x, 32, 3, { stride: 2, pad: 'valid', bias: false, name: 'block1_conv1' }), 'block1_conv1_bn'), 'relu', 'block1_conv1_act');
    x = b.act(b.bn(b.conv(x, 64, 3, { pad: 'valid', bias: false, name: 'block1_conv2' }), 'block1_conv2_bn'), 'relu', 'block1_conv2_act');
    [128, 256, 728].forEach((c, i) => {
      const n = i + 2;
      x = b.block(`block${n}`, () => {
        const short = b.branch('shortcut', () => b.bn(b.conv(x, c, 1, { stride: 2, pad: 'same', bias: false, name: 'residual' }), 'residual_bn'));
        const main = b.branch('main', () => {
          let y = x;
          if (n > 2) y = b.act(y, 'relu', 'sepconv1_act');
          y = sep(y, c, 'sepconv1');
          y = sep(b.act(y, 'relu', 'sepconv2_act'), c, 'sepconv2');
          return b.pool(y, 'max', 3, { stride: 2, pad: 'same', name: 'pool' });
        });
        return b.sum([main, short]);
      });
    });
  });
  b.stage('middle flow', () => {
    for (let i = 5; i < 13; i++)
      x = b.block(`block${i}`, () => {
        const short = b.branch('shortcut', () => b.identity(x));
        const main = b.branch('main', () => {
          let y = x;
          for (let j = 1; j <= 3; j++) y = sep(b.act(y, 'relu', `sepconv${j}_act`), 728, `sepconv${j}`);
          return y;
        });
        return b.sum([main, short]);
      });
  });
  b.stage('exit flow', () => {
    x = b.block('block13', () => {
      const short = b.branch('shortcut', () => b.bn(b.conv(x, 1024, 1, { stride: 2, pad: 'same', bias: false, name: 'residual' }), 'residual_bn'));
      const main = b.branch('main', () => {
        let y = sep(b.act(x, 'relu', 'sepconv1_act'), 728, 'sepconv1');
        y = sep(b.act(y, 'relu', 'sepconv2_act'), 1024, 'sepconv2');
        return b.pool(y, 'max', 3, { stride: 2, pad: 'same', name: 'pool' });
      });
      return b.sum([main, short]);
    });
    x = b.block('block14', () => {
      let y = b.act(sep(x, 1536, 'sepconv1'), 'relu', 'sepconv1_act');
      y = b.act(sep(y, 2048, 'sepconv2'), 'relu', 'sepconv2_act');
      return y;
    });
    x = b.flatten(b.adaptivePool(x, 1, 'avg_pool'));
    b.linear(x, 1000, { name: 'predictions' });
  });
}
