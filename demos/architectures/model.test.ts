import { describe as group, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { outLength } from '../runtime/arch/graph';
import { ARCHITECTURES, MOBILENET_V1_PAPER, PUBLISHED, SHUFFLENET_PUBLISHED, publishedAt, WIDTHS, summarize, summarizeResNet, describe as describeArch, type Layer, type Summary } from './model';
import { toLayersModel, trainableCount } from './build';

const inBlock = (s: Summary, block: string) => s.layers.filter((l) => l.block === block);
const total = (ls: Layer[], key: 'params' | 'macs') => ls.reduce((a, l) => a + l[key], 0);
const byName = (s: Summary, name: string) => {
  const l = s.layers.find((q) => q.name === name);
  if (!l) throw new Error(`no layer ${name}`);
  return l;
};

group('counts derived by hand', () => {
  it('a single 3×3 convolution, 64 → 128 channels on 56×56, no bias', () => {
    const b = describeArch('resnet18', { resolution: 224 });
    const l = b.layers.find((q) => q.name === 'layer2.0.conv2')!;
    // layer2.0.conv2 is 3×3, 128 → 128 on 28×28: 9·128·128 weights, 28·28 positions.
    expect(l.params).toBe(9 * 128 * 128);
    expect(l.macs).toBe(28 * 28 * 128 * 128 * 9);
    expect(l.shape).toEqual([128, 28, 28]);
  });

  it('a ResNet-50 bottleneck block with its projection shortcut (layer1.0, 56×56, 64 → 256)', () => {
    const s = summarize('resnet50', { resolution: 224 });
    const block = inBlock(s, 'layer1.0');
    // 1×1 64→64, 3×3 64→64, 1×1 64→256, projection 1×1 64→256; BN γ,β for 64, 64, 256, 256 channels.
    const weights = 64 * 64 + 9 * 64 * 64 + 64 * 256 + 64 * 256;
    const bn = 2 * (64 + 64 + 256 + 256);
    expect(total(block, 'params')).toBe(weights + bn);
    expect(total(block, 'macs')).toBe(56 * 56 * weights);
  });

  it('a fire module (SqueezeNet 1.1 fire2: 64 in, squeeze 16, expand 64 + 64, on 55×55), biases included', () => {
    const s = summarize('squeezenet1_1', { resolution: 224 });
    const block = inBlock(s, 'fire2');
    const params = 64 * 16 + 16 + (16 * 64 + 64) + (9 * 16 * 64 + 64);
    expect(total(block, 'params')).toBe(params);
    expect(total(block, 'macs')).toBe(55 * 55 * (64 * 16 + 16 * 64 + 9 * 16 * 64));
    expect(block[block.length - 1].shape).toEqual([128, 55, 55]);
  });

  it('a depthwise separable block (MobileNet block 2: 64 → 128, stride 2, 112 → 56): cost ratio 1/N + 1/9', () => {
    const s = summarize('mobilenet_v1', { resolution: 224 });
    const block = inBlock(s, 'block2');
    expect(total(block, 'params')).toBe(9 * 64 + 2 * 64 + 64 * 128 + 2 * 128);
    const macs = total(block, 'macs');
    expect(macs).toBe(56 * 56 * 64 * 9 + 56 * 56 * 64 * 128);
    const standard = 56 * 56 * 9 * 64 * 128;
    expect(macs / standard).toBeCloseTo(1 / 128 + 1 / 9, 12);
  });

  it('grouped convolution: ResNeXt 32×4d conv2 of layer1.0 has 1/32 of the dense weights', () => {
    const s = summarize('resnext50_32x4d', { resolution: 224 });
    const l = byName(s, 'layer1.0.conv2');
    expect(l.params).toBe((128 * 128 * 9) / 32);
    expect(l.macs).toBe(56 * 56 * l.params);
  });

  it('EfficientNet-B0 squeeze-and-excitation: squeeze = max(1, block input // 4), 1×1 convs with bias on a 1×1 map', () => {
    const s = summarize('efficientnet_b0', { resolution: 224 });
    // features.2.0: input 16, expanded 96, squeeze 4.
    const fc1 = byName(s, 'features.2.0.se.fc1');
    const fc2 = byName(s, 'features.2.0.se.fc2');
    expect(fc1.params).toBe(96 * 4 + 4);
    expect(fc2.params).toBe(4 * 96 + 96);
    expect(fc1.macs + fc2.macs).toBe(2 * 96 * 4);
  });

  it('output lengths: PyTorch floor and ceil modes, TensorFlow "same"', () => {
    expect(outLength(112, 3, 2, 0, 1, false)).toBe(55);
    expect(outLength(112, 3, 2, 0, 1, true)).toBe(56); // GoogLeNet's ceil-mode pools
    expect(outLength(14, 2, 2, 0, 1, true)).toBe(7);
    expect(outLength(13, 3, 2, 2, 1, true)).toBe(7); // last window may not start in the right padding
    expect(outLength(147, 3, 2, 'same')).toBe(74);
    expect(outLength(224, 7, 2, 6)).toBe(112);
    const g = summarize('googlenet', { resolution: 224 });
    expect(byName(g, 'maxpool1').shape).toEqual([64, 56, 56]);
  });

  it('receptive field: r ← r + (k − 1)·j, j ← j·s (VGG-16: 196 at conv5_3, 212 after pool5)', () => {
    const s = summarize('vgg16', { resolution: 224 });
    const conv53 = byName(s, 'features.28');
    expect(conv53.rf).toEqual([196, 196]);
    expect(conv53.jump).toEqual([16, 16]);
    const pool5 = byName(s, 'features.30');
    expect(pool5.rf).toEqual([212, 212]);
    expect(pool5.jump).toEqual([32, 32]);
    // A branch point takes the larger field: an inception module's concat sees as far as its 3×3 after a 1×1.
    const g = summarize('googlenet', { resolution: 224 });
    const cat = byName(g, 'inception3a.cat');
    const deep = byName(g, 'inception3a.branch2.1.conv');
    expect(cat.rf).toEqual(deep.rf);
  });

  it('activation memory is output elements × 4 bytes', () => {
    const s = summarize('resnet18', { resolution: 224 });
    expect(byName(s, 'conv1').memory).toBe(64 * 112 * 112 * 4);
    expect(s.memory).toBe(s.layers.reduce((a, l) => a + 4 * l.shape.reduce((p, d) => p * d, 1), 0));
  });
});

group('totals against the published figures (PUBLISHED)', () => {
  for (const name of ARCHITECTURES) {
    const pub = PUBLISHED[name];
    it(`${name}: ${pub.params.toLocaleString('en')} parameters${pub.gmacs ? `, ${pub.gmacs} G multiply-adds` : ''} at ${pub.resolution}`, () => {
      const s = summarize(name, { resolution: pub.resolution });
      if (pub.paramDigits !== undefined) expect((s.params / 1e6).toFixed(pub.paramDigits)).toBe((pub.params / 1e6).toFixed(pub.paramDigits));
      else expect(s.params).toBe(pub.params);
      if (pub.gmacs !== undefined) {
        const digits = pub.source === 'torchvision' ? 2 : 3;
        expect((s.macs / 1e9).toFixed(digits)).toBe(pub.gmacs.toFixed(digits));
      }
      expect(s.output).toEqual([1000]);
      expect(new Set(s.layers.map((l) => l.name)).size).toBe(s.layers.length); // names are unique module paths
    });
  }

  it('ShuffleNet V2 widths equal torchvision x0_5, x1_5, x2_0 (SHUFFLENET_PUBLISHED), and publishedAt finds them', () => {
    for (const w of [0.5, 1.5, 2]) {
      const s = summarize('shufflenet_v2_x1_0', { resolution: 224, width: w });
      expect(s.params).toBe(SHUFFLENET_PUBLISHED[w].params);
      expect((s.macs / 1e9).toFixed(2)).toBe(SHUFFLENET_PUBLISHED[w].gmacs.toFixed(2));
      expect(publishedAt('shufflenet_v2_x1_0', w)?.params).toBe(SHUFFLENET_PUBLISHED[w].params);
    }
    expect(SHUFFLENET_PUBLISHED[0.5].params).toBe(1_366_792);
    expect(publishedAt('mobilenet_v1', 0.5)?.gmacs).toBe(0.149);
    expect(publishedAt('mobilenet_v2', 0.5)).toBeNull();
  });

  it('MobileNet v1: the paper\'s Tables 6 and 7 (width and resolution multipliers) and Table 2 (where the mult-adds go)', () => {
    for (const row of MOBILENET_V1_PAPER.widths) {
      const s = summarize('mobilenet_v1', { resolution: 224, width: row.width });
      expect(Math.round(s.macs / 1e6)).toBe(row.mmacs);
      expect(Number((s.params / 1e6).toFixed(1))).toBe(row.mparams);
    }
    // The paper's 290 M at 160 is our 290.7 M cut, not rounded: within 1 M for every row.
    for (const row of MOBILENET_V1_PAPER.resolutions) expect(Math.abs(summarize('mobilenet_v1', { resolution: row.resolution }).macs / 1e6 - row.mmacs)).toBeLessThan(1);
    const s = summarize('mobilenet_v1', { resolution: 224 });
    const share = (f: (l: Layer) => boolean) => total(s.layers.filter((l) => l.op === 'conv' && f(l)), 'macs') / s.macs;
    const attrs = (l: Layer) => l.attrs as { kernel: number[]; groups: number };
    expect(share((l) => attrs(l).kernel[0] === 1).toFixed(4)).toBe(MOBILENET_V1_PAPER.shareMacs.pointwise.toFixed(4));
    expect(share((l) => attrs(l).groups > 1).toFixed(4)).toBe(MOBILENET_V1_PAPER.shareMacs.depthwise.toFixed(4));
  });

  it('parameters do not depend on resolution (adaptive pooling), multiply-adds of a conv net grow with its area', () => {
    expect(summarize('vgg16', { resolution: 64 }).params).toBe(PUBLISHED.vgg16.params);
    const a = summarize('resnet50', { resolution: 224 });
    const b = summarize('resnet50', { resolution: 448 });
    const fc = 2048 * 1000;
    expect((b.macs - fc) / (a.macs - fc)).toBeCloseTo(4, 2);
  });

  it('unknown names, undefined widths and too small inputs give clear errors', () => {
    expect(() => summarize('alexnet')).toThrow(/unknown architecture "alexnet"/);
    expect(() => summarize('resnet50', { width: 0.5 })).toThrow(/resnet50 defines width multipliers 1, not 0.5/);
    expect(() => summarize('vgg16', { resolution: 16 })).toThrow(/too small/);
    expect(WIDTHS.mobilenet_v1).toContain(0.25);
    // Every architecture counts at the slider's ends.
    for (const name of ARCHITECTURES) for (const r of [32, 512]) expect(summarize(name, { resolution: r }).output).toEqual([1000]);
  });
});

group('the description builds a real tf.LayersModel with the same trainable parameters', () => {
  it('a CIFAR-size ResNet (basic blocks, projection shortcuts) and MobileNet ×0.25 at 32×32', () => {
    const before = tf.memory().numTensors;
    const tiny = summarizeResNet({ block: 'basic', layers: [1, 1, 1], planes: [8, 16, 32], stem: 'cifar', stemWidth: 8, classes: 10 }, 32);
    const mobile = summarize('mobilenet_v1', { resolution: 32, width: 0.25 });
    for (const s of [tiny, mobile]) {
      const model = toLayersModel(s);
      try {
        expect(trainableCount(model)).toBe(s.params);
        expect(model.outputs[0].shape.slice(1)).toEqual(s.output);
      } finally {
        model.dispose();
      }
    }
    expect(tiny.params).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses what tfjs has no layer for, naming the layer', () => {
    expect(() => toLayersModel(summarize('resnext50_32x4d', { resolution: 32 }))).toThrow(/layer1\.0\.conv2: a convolution with 32 groups/);
  });
});

group('Xception beside GoogLeNet (the numbers the Xception page quotes)', () => {
  it('Xception at 299: 36 convolutions on its main path (2 regular + 34 separable), 22,855,952 weights, 8.36 G multiply-adds; GoogLeNet at 224: 6,624,904 and 1.50 G', () => {
    const x = summarize('xception', { resolution: 299 });
    const convs = x.layers.filter((l) => (l.op === 'conv' || l.op === 'sepconv') && !l.name.includes('residual'));
    expect(convs.filter((l) => l.op === 'sepconv')).toHaveLength(34);
    expect(convs).toHaveLength(36);
    expect(x.layers.filter((l) => l.op === 'add')).toHaveLength(12); // residual connections: blocks 2–13
    expect(x.params).toBe(22_855_952); // = Chollet 2017, Table 3
    expect((x.macs / 1e9).toFixed(2)).toBe('8.36');
    const g = summarize('googlenet', { resolution: 224 });
    expect(g.params).toBe(6_624_904);
    expect((g.macs / 1e9).toFixed(2)).toBe('1.50');
  });
});
