/** The numbers the notes (content/large-networks/architectures.mdx) quote, computed by the explorer's code. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHITECTURES, PUBLISHED, summarize, type ArchName, type Layer } from './model';

const mdx = readFileSync(join(__dirname, '..', '..', 'content', 'large-networks', 'architectures.mdx'), 'utf8');
const num = (t: string) => Number(t.replace(/,/g, '').trim());
const sum = (ls: Layer[], k: 'params' | 'macs') => ls.reduce((a, l) => a + l[k], 0);
const kernel = (l: Layer) => (l.attrs as { kernel: number[]; groups: number }).kernel[0];
const groups = (l: Layer) => (l.attrs as { groups: number }).groups;

describe('the notes\' numbers', () => {
  it('the table of twenty-one architectures equals summarize() and PUBLISHED, row by row', () => {
    const rows = mdx.split('\n').filter((l) => /^\| `[a-z0-9_]+` \|/.test(l));
    expect(rows).toHaveLength(ARCHITECTURES.length);
    for (const row of rows) {
      const cells = row.split('|').slice(1, -1).map((c) => c.trim());
      const name = /`([a-z0-9_]+)`/.exec(cells[0])![1] as ArchName;
      const [res, ours, pubParams, gmacs, pubMacs, mb] = cells.slice(1);
      const s = summarize(name, { resolution: num(res) });
      const pub = PUBLISHED[name];
      expect(num(res)).toBe(pub.resolution);
      expect(num(ours)).toBe(s.params);
      expect(pubParams).toBe(pub.paramDigits !== undefined ? `${(pub.params / 1e6).toFixed(pub.paramDigits)} M` : pub.params.toLocaleString('en'));
      expect(gmacs).toBe((s.macs / 1e9).toFixed(3));
      expect(pubMacs).toBe(pub.gmacs === undefined ? '—' : pub.source === 'torchvision' ? pub.gmacs.toFixed(2) : String(pub.gmacs));
      expect(mb).toBe((s.memory / 1e6).toFixed(1));
    }
  });

  it('VGG-16: the linear layers hold 89.4 % of the parameters and cost under 1 % of the MACs; receptive fields quoted', () => {
    const s = summarize('vgg16');
    const fc = s.layers.filter((l) => l.op === 'linear');
    expect(sum(fc, 'params')).toBe(123_642_856);
    expect(mdx).toContain('123,642,856 of its\n138,357,544 parameters (89.4 %)');
    expect(((100 * sum(fc, 'params')) / s.params).toFixed(1)).toBe('89.4');
    expect(sum(fc, 'macs') / s.macs).toBeLessThan(0.01);
  });

  it('ResNet-50: 16.35 G at 448, the last map\'s field 427, largest layers', () => {
    expect((summarize('resnet50', { resolution: 448 }).macs / 1e9).toFixed(2)).toBe('16.35');
    const s = summarize('resnet50');
    expect(s.layers.find((l) => l.name === 'layer4.2.relu')!.rf).toEqual([427, 427]);
    const top = [...s.layers].sort((a, b) => b.params - a.params).slice(0, 5).map((l) => l.name);
    expect(top).toEqual(['layer4.0.conv2', 'layer4.1.conv2', 'layer4.2.conv2', 'layer4.0.downsample.0', 'fc']);
    expect(s.layers.find((l) => l.name === 'layer4.0.conv2')!.params).toBe(2_359_296);
  });

  it('multiply-adds per activation value written: ResNet-18 ≈ 202, MobileNet v2 15, ShuffleNet V2 ≈ 18', () => {
    const perValue = (n: string) => {
      const s = summarize(n);
      return s.macs / (s.memory / 4);
    };
    expect(Math.round(perValue('resnet18'))).toBe(202);
    expect(Math.round(perValue('mobilenet_v2'))).toBe(15);
    expect(Math.round(perValue('shufflenet_v2_x1_0'))).toBe(18);
  });

  it('MobileNet v2: the 1×1 convolutions cost more than the depthwise ones in every expanding block', () => {
    const s = summarize('mobilenet_v2');
    const blocks = new Set(s.layers.filter((l) => l.name.endsWith('.expand.conv')).map((l) => l.block));
    expect(blocks.size).toBe(16);
    for (const b of blocks) {
      const convs = s.layers.filter((l) => l.block === b && l.op === 'conv');
      expect(sum(convs.filter((l) => kernel(l) === 1), 'macs')).toBeGreaterThan(sum(convs.filter((l) => groups(l) > 1), 'macs'));
    }
  });

  it('EfficientNet-B0: after the first SE block every unit sees the whole image', () => {
    const s = summarize('efficientnet_b0');
    expect(s.layers.find((l) => l.name === 'features.1.0.project.conv')!.rf[0]).toBeGreaterThanOrEqual(224);
  });
});
