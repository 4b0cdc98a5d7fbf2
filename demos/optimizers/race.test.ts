import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { History } from '../runtime/simulation';
import { OPTIMIZERS, SURFACES, type OptimizerName } from './model';
import { hyperKey, hyperParams } from './params';
import { raceOver, recordRace, runSpecs, simulateRace, type Update } from './race';
import { RES, surfaceGrid } from './display';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** The URL table's defaults on a surface, as the view reads them. */
const defaults = (surface: 'rosenbrock') => Object.fromEntries(Object.entries(hyperParams(surface)).map(([k, s]) => [k, s.default])) as Record<string, unknown>;

describe('the optimizer race as a simulation', () => {
  it("turns the URL's flat keys into torch keyword arguments for each runner", () => {
    const h = { ...defaults('rosenbrock'), 'adam.lr': 0.05 };
    const specs = runSpecs(['sgd', 'adam'], h, [-1.5, 2]);
    expect(specs.map((s) => s.optimizer)).toEqual(['sgd', 'adam']);
    expect(specs[1].hyper).toMatchObject({ lr: 0.05 });
    expect(specs[0].hyper).toMatchObject({ lr: SURFACES.rosenbrock.suggestedLr.sgd });
    expect(specs.every((s) => s.start![0] === -1.5 && s.start![1] === 2)).toBe(true);
    expect(OPTIMIZERS.adam.controls.map((c) => hyperKey('adam', c))).toContain('adam.lr');
  });

  it('records each run from its start, one point per step, and stops once every run has stopped or diverged', async () => {
    const opts: OptimizerName[] = ['sgd', 'adam'];
    const sim = simulateRace({ surface: 'rosenbrock', runs: runSpecs(opts, defaults('rosenbrock'), [-1.5, 2]) });
    const h = new History();
    const f0 = await sim.step(0);
    recordRace(f0, h);
    expect(Array.from(h.values('xy0'))).toEqual([-1.5, 2]);
    expect(h.values('loss0')[0]).toBeCloseTo(SURFACES.rosenbrock.f(-1.5, 2), 2);
    const f = await sim.step(5);
    recordRace(f, h);
    expect(h.values('xy1').length).toBe(2 * 6);
    expect(h.values('loss1').length).toBe(6);
    expect(raceOver(f)).toBe(false);
    expect(raceOver(f0)).toBe(false); // one point: nothing to compare
    const stuck: Update = { t: 2, count: 2, runs: 1, positions: new Float32Array([1, 1, 1, 1]), losses: new Float32Array(2), diverged: [false], divergedAt: [null] };
    expect(raceOver(stuck)).toBe(true);
    expect(raceOver({ ...stuck, positions: new Float32Array([1, 1, 1.1, 1]) })).toBe(false);
    expect(raceOver({ ...stuck, positions: new Float32Array([1, 1, 1.1, 1]), diverged: [true] })).toBe(true);
    sim.dispose();
  });

  it('drops the points of a run from the step it diverged at', () => {
    const h = new History();
    // Two runs, three new steps (t 1…3); run 1 diverged at step 2.
    recordRace({ t: 3, count: 3, runs: 2, positions: new Float32Array(12).map((_, k) => k), losses: new Float32Array([0, 1, 2, 3, 4, 5]), diverged: [false, true], divergedAt: [null, 2] }, h);
    expect(Array.from(h.values('loss0'))).toEqual([0, 2, 4]);
    expect(Array.from(h.values('loss1'))).toEqual([1]);
    expect(Array.from(h.values('xy1'))).toEqual([2, 3]);
  });

  it("draws the surface from its own formula on the view's grid", () => {
    const s = SURFACES.rosenbrock;
    const v = surfaceGrid(s);
    expect(v.length).toBe(RES * RES);
    expect(v[0]).toBe(2509); // f(−2, −1) = 3² + 100·5², the view's lower left corner
    expect(v[RES * RES - 1]).toBe(101); // f(2, 3) = 1 + 100·1², its upper right
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
  });
});
