import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { HOUSE_PARTS, loadCapsNet, routeParts, traceDigit, type RoutingTrace } from './model';
import { couplingCaption, lastCoupling, lastLengths, lengthCurve, lengthsAt, longestText, movedParts, placed, routedText, accuracyText } from './display';

describe('capsules display', () => {
  let trace: RoutingTrace;
  let label: number;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    const { net } = await loadCapsNet({ baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
    const test = loadMnistNode('test');
    label = test.labels[0];
    trace = await traceDigit(net, Float32Array.from(test.images.subarray(0, 784), (v) => v / 255), 5);
    net.dispose();
  });

  it("ranks the digit capsules of the first test digit after each iteration: the label's capsule longest after 3", () => {
    const { lengths, order } = lengthsAt(trace, 3);
    expect(lengths).toEqual(trace.lengths.subarray(20, 30));
    expect(order[0]).toBe(label);
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let k = 1; k < 10; k++) expect(lengths![order[k - 1]]).toBeGreaterThanOrEqual(lengths![order[k]]);
    expect(lengthsAt(null, 3)).toEqual({ lengths: null, order: [] });
    expect(lengthCurve(trace, label)).toEqual([0, 1, 2, 3, 4].map((r) => trace.lengths[r * 10 + label]));
  });

  it('says what is loaded, routed and longest', () => {
    expect(routedText(false, 0, 0.42)).toBe('Loading the CapsNet… 42 %');
    expect(routedText(true, 1, 1)).toBe('1 digit routed');
    expect(routedText(true, 3, 1)).toBe('3 digits routed');
    expect(accuracyText({ count: 10000, accuracy1: 0.9871, accuracy3: 0.9902 })).toBe(' · test accuracy 98.7\u00a0% with 1 iteration, 99.0\u00a0% with 3');
    expect(accuracyText(undefined)).toBe('');
    expect(longestText(1, 7, 7)).toBe('Longest capsule after 1 iteration: 7 (label 7)');
    expect(longestText(3, 2, undefined)).toBe('Longest capsule after 3 iterations: 2');
    expect(couplingCaption(4, 2, new Float32Array([0.1, 0.3]))).toBe('c to “4”, iteration 2 (mean 0.20)');
    expect(couplingCaption(4, 2, undefined)).toBe('c to “4”, iteration 2 (mean …)');
  });

  it('moves the chosen part only, and routes an intact house to the house, a moved triangle less so', async () => {
    const moved = movedParts('triangle', 0.5, -0.25, 90);
    expect(moved[0]).toEqual(HOUSE_PARTS[0]);
    expect(moved[1]).toEqual({ x: HOUSE_PARTS[1].x + 0.5, y: HOUSE_PARTS[1].y - 0.25, deg: 90 });
    const house = await routeParts(movedParts('triangle', 0, 0, 0), 3);
    const broken = await routeParts(moved, 3);
    expect(lastLengths(house)[0]).toBeGreaterThan(lastLengths(house)[1]);
    expect(lastLengths(broken)[0]).toBeLessThan(lastLengths(house)[0]);
    // c of each part sums to 1 over the wholes.
    for (const i of [0, 1]) expect(lastCoupling(house, i, 0) + lastCoupling(house, i, 1)).toBeCloseTo(1, 5);
  });

  it("places a shape's corners at a pose: turned a quarter counter-clockwise", () => {
    const pts = placed({ x: 1, y: 2, deg: 90 }, [[1, 0]]);
    expect(pts[0][0]).toBeCloseTo(1, 12);
    expect(pts[0][1]).toBeCloseTo(3, 12);
  });
});
