import { describe, expect, it } from 'vitest';
import { publishedAt, summarize } from './model';
import { bytesText, costOf, foldRows, groupBy, inputsText, lastMap, macsText, nextSort, pairText, publishedMacs, publishedNote, publishedParams, rowTotals, tableRows, widthFor } from './display';

describe('architecture explorer display', () => {
  const vgg = summarize('vgg16', { resolution: 224 });
  const resnet18 = summarize('resnet18', { resolution: 224 });

  it('formats counts, bytes and pairs', () => {
    expect(macsText(15_470_264_320)).toBe('15.47 G');
    expect(macsText(2_500_000)).toBe('2.5 M');
    expect(macsText(1500)).toBe('1.5 k');
    expect(macsText(12)).toBe('12');
    expect(bytesText(1.5e9)).toBe('1.50 GB');
    expect(bytesText(3_211_264)).toBe('3.2 MB');
    expect(bytesText(800)).toBe('0.8 kB');
    expect(pairText([7, 7])).toBe('7');
    expect(pairText([3, 5])).toBe('3×5');
  });

  it('folds each conv with the ReLU after it into one row, and VGG-16 adds up to its published 138,357,544 parameters', () => {
    const rows = foldRows(vgg.layers);
    const conv1 = rows.find((r) => r[0].name === 'features.0')!;
    expect(conv1.map((l) => l.op)).toEqual(['conv', 'act']);
    expect(rows.length).toBeLessThan(vgg.layers.length);
    expect(rows.flat()).toEqual(vgg.layers);
    expect(rowTotals(conv1)).toEqual({ params: 1792, macs: 224 * 224 * 64 * 27 });
    expect(rowTotals([vgg.layers[0]])).toEqual({ params: 0, macs: 0 });
    expect(costOf(vgg.layers)).toBe(`1000 · 138,357,544 params · ${macsText(vgg.macs)} MACs`);
    expect(vgg.params).toBe(publishedAt('vgg16', 1)!.params);
  });

  it('groups runs of layers by stage, in order, each layer once', () => {
    const stages = groupBy(resnet18.layers, (l) => l.stage);
    expect(stages.flatMap(([, ls]) => ls)).toEqual(resnet18.layers);
    for (let i = 1; i < stages.length; i++) expect(stages[i][0]).not.toBe(stages[i - 1][0]);
    expect(stages.map(([k]) => k)).toContain('layer4');
  });

  it('names what feeds a row only when it is not the row above', () => {
    const names = new Map(resnet18.layers.map((l) => [l.index, l.name]));
    const add = resnet18.layers.find((l) => l.inputs.length > 1)!;
    expect(inputsText(add, names)).toBe(add.inputs.map((i) => names.get(i)).join(' + '));
    expect(inputsText(add, null)).toBe('');
    expect(inputsText(resnet18.layers[1], names)).toBe('');
  });

  it('counts a width the architecture lacks at ×1, with a note', () => {
    expect(widthFor('mobilenet_v2', '0.5')).toEqual({ width: 0.5, widths: [0.35, 0.5, 0.75, 1, 1.3, 1.4], note: '' });
    expect(widthFor('resnet50', '1')).toEqual({ width: 1, widths: undefined, note: '' });
    expect(widthFor('mobilenet_v1', '2').note).toBe('×2 is not defined for mobilenet_v1: counted at ×1 (defined: 0.25, 0.5, 0.75, 1).');
    expect(widthFor('vgg16', '0.5').note).toBe('×0.5 is not defined for vgg16: counted at ×1.');
  });

  it('sorts the table by a column, ties by index, and can keep only layers that cost something', () => {
    const byParams = tableRows(vgg.layers, { key: 'params', dir: -1 }, false);
    expect(byParams[0].name).toBe('classifier.0'); // the 25088 → 4096 linear layer: 102,764,544 parameters
    expect(byParams[0].params).toBe(25088 * 4096 + 4096);
    const costly = tableRows(vgg.layers, { key: 'index', dir: 1 }, true);
    expect(costly.every((l) => l.params > 0 || l.macs > 0)).toBe(true);
    expect(costly.map((l) => l.index)).toEqual([...costly.map((l) => l.index)].sort((a, b) => a - b));
    const byRf = tableRows(vgg.layers, { key: 'rf', dir: -1 }, false);
    expect(Math.max(...byRf[0].rf)).toBe(Math.max(...vgg.layers.flatMap((l) => l.rf)));
    expect(nextSort({ key: 'params', dir: -1 }, 'params')).toEqual({ key: 'params', dir: 1 });
    expect(nextSort({ key: 'params', dir: -1 }, 'macs')).toEqual({ key: 'macs', dir: -1 });
    expect(nextSort({ key: 'params', dir: -1 }, 'index')).toEqual({ key: 'index', dir: 1 });
  });

  it("finds the last spatial map (VGG-16's last pool: receptive field 212) and quotes published figures", () => {
    expect(lastMap(vgg)!.rf).toEqual([212, 212]);
    const pub = publishedAt('vgg16', 1)!;
    expect(publishedParams(pub)).toBe('138,357,544');
    expect(publishedMacs(pub)).toBe('published 15.47 G');
    expect(publishedNote(pub, 224, 1)).toBe('. Published: torchvision');
    expect(publishedNote(pub, 160, 1)).toBe('. Published: torchvision, at 224×224');
    expect(publishedNote(null, 224, 0.35)).toBe('. No published figure for ×0.35');
    const v1 = publishedAt('mobilenet_v1', 0.5)!;
    expect(publishedParams(v1)).toBe(`${v1.params / 1e6} M`);
    expect(publishedMacs(publishedAt('xception', 1)!)).toBe('not published');
  });
});
