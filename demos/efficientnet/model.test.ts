import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import type { MnistArrays } from '../runtime/data/idx';
import { JobError } from '../runtime/jobs/protocol';
import { roundFilters, roundRepeats, summarizeEfficientNet, EFFICIENTNET_B0_STAGES } from '../runtime/arch/zoo';
import { fileFetch } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import {
  BASE,
  bestOf,
  compound,
  describeTiny,
  family,
  gridCandidates,
  initTinyParams,
  parseResults,
  PAPER_COEFFS,
  pickCandidates,
  singlePlans,
  tinyArch,
  tinyCost,
  trainChild,
  type ChildResult,
} from './model';
import { childCount, search } from './search';
import shipped from './shipped.json';

const fetchFn = fileFetch('public');
let train: MnistArrays;
let test: MnistArrays;

beforeAll(async () => {
  await useNodeBackend('wasm');
  [train, test] = await Promise.all([
    loadMnist({ split: 'train', count: 64, baseUrl: MNIST_BASE_URL, fetch: fetchFn }),
    loadMnist({ split: 'test', count: 32, baseUrl: MNIST_BASE_URL, fetch: fetchFn }),
  ]);
});

describe('the calculator', () => {
  const rows = family();
  it('multiply-adds grow as d·w²·r²: (α·β²·γ²)^φ, 1.92^φ with the paper\'s 1.2, 1.1, 1.15, exactly 2^φ on the constraint', () => {
    const c = compound(3);
    expect(c.depth).toBeCloseTo(1.2 ** 3, 12);
    expect(c.flops).toBeCloseTo((1.2 * 1.1 ** 2 * 1.15 ** 2) ** 3, 10);
    expect(PAPER_COEFFS.alpha * PAPER_COEFFS.beta ** 2 * PAPER_COEFFS.gamma ** 2).toBeCloseTo(1.92, 2);
    expect(compound(2.5, { alpha: 2, beta: 1, gamma: 1 }).flops).toBeCloseTo(2 ** 2.5, 12);
    expect(compound(0).flops).toBe(1);
  });

  it('B0…B7: every parameter count is torchvision\'s, every GMAC count its _ops to 3 decimals', () => {
    expect(rows.map((r) => r.name)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'].map((b) => `efficientnet_${b}`));
    for (const r of rows) {
      expect(r.params).toBe(r.published.params);
      expect((r.macs / 1e9).toFixed(3)).toBe(r.published.gmacs.toFixed(3));
    }
    expect(rows[0].params).toBe(5_288_548);
    expect(rows[7].params).toBe(66_347_960);
  });

  it('torchvision\'s rounding: channels to multiples of 8 (B3: 32 → 40, 320 → 384), blocks rounded up (B7: 55 blocks)', () => {
    expect(roundFilters(32, 1.2)).toBe(40);
    expect(roundFilters(320, 1.2)).toBe(384);
    expect(roundFilters(16, 1.1)).toBe(16); // 17.6 → 16, within 10 %
    expect(EFFICIENTNET_B0_STAGES.reduce((a, s) => a + roundRepeats(s[5], 3.1), 0)).toBe(55);
    const b7 = summarizeEfficientNet('efficientnet_b7');
    expect(b7.layers.filter((l) => l.name.endsWith('.project.conv')).length).toBe(55);
    expect(b7.layers.find((l) => l.name === 'features.0.conv')!.shape).toEqual([64, 300, 300]);
  });

  it('the released models follow no single φ: B7\'s depth, width and resolution imply φ ≈ 6.2, 7.3 and 7.0', () => {
    const b7 = rows[7];
    expect(b7.phi.depth.toFixed(1)).toBe('6.2');
    expect(b7.phi.width.toFixed(1)).toBe('7.3');
    expect(b7.phi.resolution.toFixed(1)).toBe('7.0');
  });
});

describe('the tiny CNN', () => {
  it('scales by ceil for depth and round for width and pixels', () => {
    expect(tinyArch({ depth: 1, width: 1, resolution: 1 })).toEqual({ layers: 2, channels: [8, 16], pixels: 16 });
    expect(tinyArch({ depth: 1.2, width: 1.1, resolution: 1.174 })).toEqual({ layers: 3, channels: [9, 18], pixels: 19 });
    expect(tinyArch({ depth: 4, width: 1, resolution: 1 }).layers).toBe(8);
    expect(() => tinyArch({ depth: 0, width: 1, resolution: 1 })).toThrow(/depth multiplier/);
  });

  it('its multiply-adds by hand: 99,328 for the base', () => {
    // 8×8 outputs: 1→8 (stride 2) and 8→8; 4×4 outputs: 8→16 (stride 2) and 16→16; the classifier 16·4·4 → 10.
    const hand = 64 * 8 * 9 + 64 * 8 * 8 * 9 + 16 * 16 * 8 * 9 + 16 * 16 * 16 * 9 + 256 * 10;
    expect(tinyCost({ depth: 1, width: 1, resolution: 1 }).macs).toBe(hand);
    expect(hand).toBe(99_328);
  });

  it('the description\'s parameters equal the trained tensors\' sizes, at several scales', () => {
    for (const s of [{ depth: 1, width: 1, resolution: 1 }, { depth: 1.6, width: 1.3, resolution: 1.4 }]) {
      const a = tinyArch(s);
      const trained = initTinyParams(a, 1).reduce((n, p) => n + p.values.length, 0);
      expect(describeTiny(a).summary(a.pixels).params).toBe(trained);
    }
    expect(BASE.layers).toBe(2);
  });

  it('trains a child on a few digits, deterministically, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const data = { train, test, trainCount: 64, testCount: 32 };
    const settings = { steps: 2, batch: 16, lr: 3e-3, seed: 3 };
    const a = await trainChild({ depth: 1, width: 1, resolution: 1.2 }, data, settings);
    const b = await trainChild({ depth: 1, width: 1, resolution: 1.2 }, data, settings);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.accuracy).toBe(b.accuracy);
    expect(a.loss).toBe(b.loss);
    expect(a.accuracy).toBeGreaterThanOrEqual(0);
    expect(a.accuracy).toBeLessThanOrEqual(1);
    expect(Number.isFinite(a.loss)).toBe(true);
  });
});

describe('the search', () => {
  it('grid candidates satisfy α·β²·γ² = 2 to rounding, γ ≥ 1, and include one near the paper\'s', () => {
    const g = gridCandidates();
    expect(g.length).toBe(12);
    for (const c of g) {
      expect(Math.abs(c.alpha * c.beta ** 2 * c.gamma ** 2 - 2)).toBeLessThan(0.005);
      expect(c.gamma).toBeGreaterThanOrEqual(1);
    }
    expect(g).toContainEqual({ alpha: 1.2, beta: 1.1, gamma: 1.174 });
    expect(pickCandidates(3)).toEqual([g[0], g[Math.round(5.5)], g[11]]);
    expect(pickCandidates(99)).toHaveLength(12);
    expect(childCount(6)).toBe(14);
  });

  it('single-dimension children take the whole ×2^φ: depth 2^φ, width and resolution 2^(φ/2)', () => {
    for (const p of singlePlans([1, 2])) {
      const { depth, width, resolution } = p.scale;
      expect(depth * width ** 2 * resolution ** 2).toBeCloseTo(2 ** p.phi, 12);
    }
  });

  it('bestOf picks the most accurate grid child, ties to fewer multiply-adds', () => {
    const c = (accuracy: number, macs: number, kind: ChildResult['kind'] = 'grid') => ({ kind, accuracy, macs }) as ChildResult;
    expect(bestOf([c(0.9, 5), c(0.95, 9, 'depth'), c(0.9, 3), c(0.8, 1)])).toMatchObject({ accuracy: 0.9, macs: 3 });
    expect(bestOf([c(0.9, 5, 'base')])).toBeNull();
  });

  it('the job refuses bad input, and yields the base child first (then stops cleanly)', async () => {
    const ctx = { signal: new AbortController().signal };
    await expect(search({ seed: 0, steps: 50, candidates: 3 }, ctx, fetchFn).next()).rejects.toBeInstanceOf(JobError);
    await expect(search({ seed: 1, steps: 5, candidates: 3 }, ctx, fetchFn).next()).rejects.toThrow(/Steps per child/);
    const before = tf.memory().numTensors;
    const gen = search({ seed: 1, steps: 10, candidates: 1, data: { train: 32, test: 16 } }, ctx, fetchFn);
    const first = await gen.next();
    if (first.done) throw new Error('the job ended before its first child');
    const p = first.value.partial!;
    expect(p.children.map((q) => q.kind)).toEqual(['base']);
    expect(p.children[0].arch).toEqual({ layers: 2, channels: [8, 16], pixels: 16 });
    await gen.return(p);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('results as JSON', () => {
  it('the shipped run reads back, and its numbers are its children\'s', () => {
    const r = parseResults(JSON.stringify(shipped));
    expect(r.children.length).toBe(childCount(r.settings.candidates) + 1);
    const best = bestOf(r.children)!;
    expect(r.chosen).toEqual(best.coeffs);
    for (const ch of r.children) expect(ch.macs).toBe(tinyCost(ch.scale).macs);
  });

  it('a malformed file gets a message saying what is wrong', () => {
    expect(() => parseResults('{oops')).toThrow(/not JSON/);
    expect(() => parseResults('{"kind":"other"}')).toThrow(/not an EfficientNet search export/);
    const ok = JSON.parse(JSON.stringify(shipped));
    ok.version = 2;
    expect(() => parseResults(JSON.stringify(ok))).toThrow(/unsupported version 2/);
    const bad = JSON.parse(JSON.stringify(shipped));
    bad.children[1].accuracy = 7;
    expect(() => parseResults(JSON.stringify(bad))).toThrow(/child 2: accuracy 7 is outside/);
    bad.children[1].kind = 'magic';
    expect(() => parseResults(JSON.stringify(bad))).toThrow(/child 2: unknown kind "magic"/);
  });
});
