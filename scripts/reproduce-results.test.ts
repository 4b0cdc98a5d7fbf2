import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { tf } from '../demos/runtime/tf';
import * as results from './reproduce-results';
import { reproduceIntriguing, transferLine } from './reproduce-results';
import { FGSM_EPSILONS, fgsmLine, INVARIANCE_MOTIONS, invarianceLine, reproduceCw, reproduceDropout, reproduceFgsm, reproduceInvariance, reproduceSchedules } from './reproduce-results';
import shippedEff from '../demos/efficientnet/shipped.json';

// `npm run reproduce -- fgsm` on the first 10 test digits (the full run takes minutes: its table is in the notes).
describe('reproduceFgsm', () => {
  it('prints one line per ε for cnn, then for cnn-adv prefixed "adv-trained", and the attack hurts cnn more', async () => {
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const rows = await reproduceFgsm({ limit: 10, log: (l) => lines.push(l) });
    expect(tf.memory().numTensors).toBe(before);
    expect(lines).toHaveLength(2 * FGSM_EPSILONS.length);
    FGSM_EPSILONS.forEach((eps, i) => {
      expect(lines[i]).toMatch(new RegExp(`^eps: ${eps} error: [01]\\.\\d{4} mean_confidence: [01]\\.\\d{4}$`));
      expect(lines[i + FGSM_EPSILONS.length]).toMatch(new RegExp(`^adv-trained eps: ${eps} error: [01]\\.\\d{4} mean_confidence: [01]\\.\\d{4}$`));
    });
    expect(lines[4]).toBe(fgsmLine('', 0.25, rows[4].error, rows[4].meanConfidence));
    const at = (model: string, eps: number) => rows.find((r) => r.model === model && r.eps === eps)!;
    expect(at('cnn', 0.25).count).toBe(10);
    // FGSM at ε = 0.25 fools the normal CNN on some of these digits it gets right unattacked …
    expect(at('cnn', 0.25).error).toBeGreaterThan(at('cnn', 0).error);
    // … and the adversarially trained one on fewer.
    expect(at('cnn-adv', 0.25).error).toBeLessThan(at('cnn', 0.25).error);
  });
});

describe('reproduceCw', () => {
  it('prints `digits: N success: … mean_l2: …` last, for the numbers it returns', async () => {
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const r = await reproduceCw({ limit: 2, log: (l) => lines.push(l), config: { iterations: 30, searchSteps: 1, initialC: 10, learningRate: 0.3 } });
    expect(tf.memory().numTensors).toBe(before);
    expect(lines.at(-1)).toBe(`digits: 2 success: ${r.success.toFixed(4)} mean_l2: ${r.meanL2.toFixed(4)}`);
    expect(lines.at(-1)).toMatch(/^digits: 2 success: [01]\.\d{4} mean_l2: \d+\.\d{4}$/);
    expect(r.success).toBe(1); // c = 10 reaches the target within 30 steps on these two digits
  });
});

// `npm run reproduce -- invariance` on the first 20 test digits (the full table, 1,000 digits, is in the notes).
describe('reproduceInvariance', () => {
  it('prints a header, then one line per shift and rotation with the four networks’ accuracies, for the table it returns', async () => {
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const table = await reproduceInvariance({ limit: 20, log: (l) => lines.push(l) });
    expect(tf.memory().numTensors).toBe(before);
    expect(lines).toHaveLength(1 + INVARIANCE_MOTIONS.length);
    expect(lines[0]).toMatch(/^# 20 test digits/);
    expect(lines[1]).toMatch(/^shift: -8 inv-stride: [01]\.\d{4} inv-pool: [01]\.\d{4} inv-stride-aug: [01]\.\d{4} inv-pool-aug: [01]\.\d{4}$/);
    expect(lines[1 + 17]).toMatch(/^rotate: -90 /);
    expect(lines[1 + 8]).toBe(invarianceLine('shift: 0', table[8]));
    for (const a of table[8]) expect(a).toBeGreaterThanOrEqual(0.9); // unmoved digits
  });
});

describe('npm run reproduce (scripts/reproduce.mjs)', () => {
  it('names the demos\' headline runs among its targets, each a function of scripts/reproduce-results.ts', () => {
    const r = spawnSync(process.execPath, ['scripts/reproduce.mjs'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    const targets = r.stderr.match(/usage: npm run reproduce -- <([^>]+)>/)![1].split('|');
    const fns: Record<string, string> = {
      batchnorm: 'reproduceBatchnorm',
      'label-smoothing': 'reproduceLabelSmoothing',
      prelu: 'reproducePrelu',
      pruning: 'reproducePruning',
      schedules: 'reproduceSchedules',
      dropout: 'reproduceDropout',
      efficientnet: 'reproduceEfficientnet',
      'super-resolution': 'reproduceSuperResolution',
    };
    for (const [target, fn] of Object.entries(fns)) {
      expect(targets).toContain(target);
      expect(typeof (results as Record<string, unknown>)[fn]).toBe('function');
    }
  });

  it('efficientnet: one line per child carries its kind, φ, coefficients, network, cost and accuracy', () => {
    const child = (shippedEff as unknown as { children: Parameters<typeof results.effChildLine>[0][] }).children[3];
    expect(results.effChildLine(child)).toBe(
      `grid       phi: 1 abg: 1.2/1.1/1.174  layers: 3 channels: 9/18 px: 19 macs: ${child.macs} params: ${child.params} acc: ${(100 * child.accuracy).toFixed(1)} s: ${child.seconds.toFixed(1)}`,
    );
  });

  // Tiny runs: the printed lines carry the numbers returned (the full runs' output is quoted in the notes).
  it('schedules: a header, then one line per schedule with its train loss, test loss and range', async () => {
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const rows = await reproduceSchedules({ config: { schedules: ['constant', 'cosine'], total: 30, warmup: 3, hidden: [8], nTrain: 40, nTest: 50 }, last: 5, log: (l) => lines.push(l) });
    expect(tf.memory().numTensors).toBe(before);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^after 30 steps \(sgd, γ 0\.1, batch 16, seed 1\)/);
    expect(lines[2]).toBe(`cosine: ${rows[1].train.toFixed(3)} ${rows[1].test.toFixed(3)} ${rows[1].range.toFixed(4)}`);
  });

  it('dropout: one line per seed, plain against dropout', async () => {
    const lines: string[] = [];
    const rows = await reproduceDropout({ seeds: [1, 2], steps: 3, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^seed 2, 3 steps \\(plain vs dropout\\): train loss ${rows[1].frame.plain.trainLoss.toFixed(3)} vs `));
  });
});

describe('reproduceIntriguing', () => {
  it('prints the units line, then one transfer line per pair, for the numbers it returns', async () => {
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const r = await reproduceIntriguing({ limit: 2, unitDigits: 200, pairs: [['cnn', 'mlp']], config: { steps: 10, rounds: 1, initialC: 0.05, learningRate: 0.05 }, log: (l) => lines.push(l) });
    expect(tf.memory().numTensors).toBe(before);
    expect(lines[0]).toMatch(/^units: digits: 200 top: 9 unit_purity: [01]\.\d{4} live_units: \d+ direction_purity: [01]\.\d{4} directions: 128$/);
    expect(lines.at(-1)).toBe(transferLine('cnn', 'mlp', r.rows[0].tally));
    expect(lines.at(-1)).toMatch(/^transfer: cnn -> mlp digits: 2 found: [01]\.\d{4} distortion: \S+ clean_error: \S+ transfer: \S+ magnified: \S+ noise: \S+$/);
  });
});

describe('reproduceXnor', () => {
  it('prints one accuracy line per mode, then one timing line per shape, for the numbers it returns', async () => {
    const lines: string[] = [];
    const r = await results.reproduceXnor({ limit: 50, repeats: 1, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(4 + r.timings.length);
    expect(lines[3]).toMatch(/^xnor without fine-tuning: cnn accuracy: 0\.\d{4} \(\d+\/50\)$/);
    expect(lines[0]).toBe(`full: cnn accuracy: ${r.accuracy.full.accuracy.toFixed(4)} (${r.accuracy.full.correct}/50)`);
    expect(lines[2]).toMatch(/^xnor: cnn-xnor accuracy: 0\.\d{4} \(\d+\/50\)$/);
    for (const t of r.timings) for (const v of [t.tf, t.js, t.xnor]) expect(v).toBeGreaterThan(0);
    expect(lines.at(-1)).toContain(`macs: ${r.timings.at(-1)!.macs}`);
  });
});
