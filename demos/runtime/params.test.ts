import { describe, expect, it } from 'vitest';
import { defineParams, defaults, parseParams, roundToStep, serializeParams } from './params';

const table = defineParams({
  lr: { kind: 'number', label: 'Learning rate', min: 0.0001, max: 1, step: 0.0001, default: 0.01, log: true },
  steps: { kind: 'number', label: 'Steps', min: 1, max: 1000, step: 1, default: 100 },
  surface: {
    kind: 'choice',
    label: 'Surface',
    options: [
      { value: 'rosenbrock', label: 'Rosenbrock' },
      { value: 'beale', label: 'Beale' },
    ],
    default: 'rosenbrock',
  },
  live: { kind: 'toggle', label: 'Live', default: true },
  opts: {
    kind: 'multi',
    label: 'Optimizers',
    options: [
      { value: 'sgd', label: 'SGD' },
      { value: 'adam', label: 'Adam' },
    ],
    default: ['sgd'],
    minCount: 1,
  },
  start: { kind: 'point', label: 'Start', min: [-2, -1], max: [2, 3], step: 0.01, default: [-1.5, 2] },
});

describe('parameter table', () => {
  it('round-trips every kind of value through the URL', () => {
    const v = { lr: 0.0301, steps: 250, surface: 'beale', live: false, opts: ['adam', 'sgd'], start: [0.5, -0.25] as [number, number] };
    const q = serializeParams(table, v);
    expect(q.get('lr')).toBe('0.0301');
    expect(q.get('start')).toBe('0.5,-0.25');
    const back = parseParams(table, new URLSearchParams(q.toString()));
    expect(back.notes).toEqual([]);
    expect(back.values).toEqual(v);
  });
  it('keeps links short: defaults are not written and stale keys are removed', () => {
    const q = serializeParams(table, defaults(table), new URLSearchParams('lr=0.5&other=x'));
    expect(q.toString()).toBe('other=x');
  });
  it('clamps out-of-range numbers with a note', () => {
    const { values, notes } = parseParams(table, new URLSearchParams('lr=5&steps=-3&start=9,-9'));
    expect(values.lr).toBe(1);
    expect(values.steps).toBe(1);
    expect(values.start).toEqual([2, -1]);
    expect(notes).toHaveLength(4);
    expect(notes[0]).toMatch(/lr=5 is above the maximum; using 1/);
  });
  it('resets malformed values to defaults with a note, never throws', () => {
    const q = new URLSearchParams('lr=abc&steps=&surface=nope&live=maybe&opts=,,&start=1&x=1');
    const { values, notes } = parseParams(table, q);
    expect(values).toEqual(defaults(table));
    expect(notes.length).toBe(6);
    expect(notes.join('\n')).toMatch(/surface="nope" is not one of rosenbrock, beale/);
  });
  it('names at most eight of many options in a note, and how many there are', () => {
    const many = defineParams({ pick: { kind: 'choice', label: 'Pick', options: Array.from({ length: 21 }, (_, i) => ({ value: `option_${i}`, label: `${i}` })), default: 'option_0' } });
    const { notes } = parseParams(many, new URLSearchParams('pick=nope'));
    expect(notes).toEqual(['pick="nope" is not one of option_0, option_1, option_2, option_3, option_4, option_5, option_6, option_7, … (21 in all); using the default.']);
  });
  it('drops unknown options of a multi-select and notes them', () => {
    const { values, notes } = parseParams(table, new URLSearchParams('opts=adam,lbfgs,adam'));
    expect(values.opts).toEqual(['adam']);
    expect(notes[0]).toMatch(/lbfgs/);
  });
  it('quotes hostile values in notes at most 40 characters long, whatever their length', () => {
    const huge = 'x'.repeat(10_000);
    const many = Array.from({ length: 10 }, (_, i) => `bad${i}`).join(',');
    const { values, notes } = parseParams(table, new URLSearchParams({ surface: huge, opts: `${huge},adam`, live: many }));
    expect(values.opts).toEqual(['adam']);
    expect(notes).toHaveLength(3);
    // Longest possible note: the name, the fixed wording and five quoted values of ≤ 40 characters.
    for (const n of notes) expect(n.length).toBeLessThan(120 + 5 * 40);
    expect(notes[0]).toContain(`surface="${'x'.repeat(39)}…" is not one of`);
    expect(notes).toContain(`opts: ignored unknown ${'x'.repeat(39)}….`);
    expect(notes).toContain('live="bad0,bad1,bad2,bad3,bad4,bad5,bad6,bad7…" is not 0 or 1; using the default.');
    const many2 = parseParams(table, new URLSearchParams({ opts: `${many},sgd` })).notes[0];
    expect(many2).toBe('opts: ignored unknown bad0, bad1, bad2, bad3, bad4, ….');
  });
  it('rounds to the step so floating noise never reaches a URL', () => {
    expect(roundToStep(0.1 + 0.2, 0.01)).toBe(0.3);
    expect(roundToStep(123.456, 1)).toBe(123);
    expect(parseParams(table, new URLSearchParams('steps=12.7')).values.steps).toBe(13);
  });
  it('rejects a table whose default lies outside its range', () => {
    expect(() => defineParams({ a: { kind: 'number', label: 'a', min: 0, max: 1, step: 0.1, default: 2 } })).toThrow(/outside/);
  });
  it('honours a prefix for a second demo on the same page', () => {
    const q = serializeParams(table, { ...defaults(table), steps: 7 }, new URLSearchParams(), 'b.');
    expect(q.get('b.steps')).toBe('7');
    expect(parseParams(table, q, 'b.').values.steps).toBe(7);
    expect(parseParams(table, q).values.steps).toBe(100);
  });
});
