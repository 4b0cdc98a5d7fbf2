import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { demos } from './registry';
import { defaults, parseParams, roundToStep, serializeParams, type ParamSpec, type ParamTable, type ParamValues } from './runtime/params';
import { BAD_VALUES as BAD } from '../e2e/fuzz';

// Every demo's parameter tables in Node, generically: parse, serialise, clamp, hostile values and the URL
// round trip. Each demos/<id>/params.ts exports `paramTables` (every table the view reads); the browser
// tests check the URL keys a running demo registers against these tables, and test the page side once.

const dir = path.dirname(new URL(import.meta.url).pathname);
const ids = Object.keys(demos);

async function tablesOf(id: string): Promise<readonly ParamTable[]> {
  const mod = (await import(`./${id}/params.ts`)) as { paramTables?: readonly ParamTable[] };
  if (!mod.paramTables?.length) throw new Error(`demos/${id}/params.ts must export paramTables: every table the demo reads`);
  return mod.paramTables;
}

/** True when `v` is a value the demo can run with: in range, one of the options, the right shape. */
function valid(s: ParamSpec, v: unknown): boolean {
  const inRange = (x: unknown, lo: number, hi: number) => typeof x === 'number' && Number.isFinite(x) && lo <= x && x <= hi;
  switch (s.kind) {
    case 'number':
      return inRange(v, s.min, s.max);
    case 'choice':
      return s.options.some((o) => o.value === v);
    case 'toggle':
      return typeof v === 'boolean';
    case 'multi':
      return Array.isArray(v) && v.length >= (s.minCount ?? 0) && new Set(v).size === v.length && v.every((x) => s.options.some((o) => o.value === x));
    case 'point':
      return Array.isArray(v) && v.length === 2 && inRange(v[0], s.min[0], s.max[0]) && inRange(v[1], s.min[1], s.max[1]);
  }
}

/** Values other than the default that the demo's control can produce (ParamControls' slider mapping). */
function samples(s: ParamSpec): unknown[] {
  // A few slider positions, as fractions of the way from min to max (a log slider moves in ratios).
  const at = (lo: number, hi: number, step: number, log = false) =>
    [0, 0.137, 0.5, 0.873, 1].map((f) => roundToStep(log ? lo * Math.pow(hi / lo, f) : lo + (hi - lo) * f, step)).filter((x) => lo <= x && x <= hi);
  let all: unknown[];
  switch (s.kind) {
    case 'number':
      all = at(s.min, s.max, s.step, s.log);
      break;
    case 'choice':
      all = s.options.map((o) => o.value);
      break;
    case 'toggle':
      all = [!s.default];
      break;
    case 'multi': {
      const vals = s.options.map((o) => o.value);
      all = [vals, ...vals.map((v) => [v]), vals.slice(0, Math.max(s.minCount ?? 0, 2))].filter((v) => v.length >= (s.minCount ?? 0));
      break;
    }
    case 'point': {
      const xs = at(s.min[0], s.max[0], s.step);
      const ys = at(s.min[1], s.max[1], s.step);
      all = xs.map((x, i) => [x, ys[(i + 1) % ys.length]]);
      break;
    }
  }
  const def = JSON.stringify(s.default);
  return all.filter((v) => JSON.stringify(v) !== def);
}

/** Through a real address, as a link pasted into a browser. */
const viaUrl = (q: URLSearchParams) => new URL(`https://example.org/part/section/?${q}`).searchParams;

describe('every demo declares its parameter tables', () => {
  it('each demos/<id>/ is registered and exports paramTables from its params.ts', async () => {
    // Every folder beside ui/ and runtime/ is a demo (lib/layers.ts), and every demo is registered.
    const folders = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !['ui', 'runtime'].includes(d.name));
    expect(folders.map((d) => d.name).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const tables = await tablesOf(id);
      // The page's test hook maps each URL key to one kind: tables of one demo must agree on shared keys.
      const kinds = new Map<string, string>();
      for (const t of tables) {
        for (const [k, s] of Object.entries(t)) {
          expect(kinds.get(k) ?? s.kind, `${id}: key ${k} has two kinds`).toBe(s.kind);
          kinds.set(k, s.kind);
        }
      }
    }
  });
});

describe.each(ids)('parameters of demo %s', (id) => {
  it('defaults: an empty query gives them without a note, and they write nothing to the URL', async () => {
    for (const t of await tablesOf(id)) {
      expect(Object.keys(t).length).toBeGreaterThan(0);
      const { values, notes } = parseParams(t, new URLSearchParams());
      expect(notes).toEqual([]);
      expect(values).toEqual(defaults(t));
      for (const [k, s] of Object.entries(t)) expect(valid(s, values[k]), `default of ${k}`).toBe(true);
      expect(serializeParams(t, values).toString()).toBe('');
    }
  });

  it('URL round trip: every key, set to values a reader can choose, is written and read back unchanged', async () => {
    for (const t of await tablesOf(id)) {
      for (const [k, s] of Object.entries(t)) {
        const vs = samples(s);
        expect(vs.length, `${k} has no value besides its default`).toBeGreaterThan(0);
        for (const v of vs) {
          for (const prefix of ['', 'b.']) {
            const values = { ...defaults(t), [k]: v } as ParamValues<ParamTable>;
            const q = serializeParams(t, values, new URLSearchParams('backend=wasm'), prefix);
            expect(q.get('backend')).toBe('wasm'); // other keys are kept
            expect([...q.keys()].filter((x) => x !== 'backend')).toEqual([prefix + k]); // only what changed
            const back = parseParams(t, viaUrl(q), prefix);
            expect(back.notes, `${k}=${q.get(prefix + k)}`).toEqual([]);
            expect(back.values[k], `${k}=${q.get(prefix + k)}`).toEqual(v);
          }
        }
      }
    }
  });

  it('clamps numbers and points out of range to the nearest end, with a note naming the key', async () => {
    for (const t of await tablesOf(id)) {
      for (const [k, s] of Object.entries(t)) {
        if (s.kind !== 'number' && s.kind !== 'point') continue;
        const lo = s.kind === 'number' ? [s.min] : [...s.min];
        const hi = s.kind === 'number' ? [s.max] : [...s.max];
        for (const [raw, want] of [
          [lo.map((x, i) => x - (hi[i] - x) - 1), lo],
          [hi.map((x, i) => x + (x - lo[i]) + 1), hi],
        ]) {
          const { values, notes } = parseParams(t, new URLSearchParams({ [k]: raw.join(',') }));
          expect(s.kind === 'number' ? [values[k]] : values[k], `${k}=${raw}`).toEqual(want);
          expect(notes.length).toBe(lo.length);
          for (const n of notes) expect(n).toMatch(new RegExp(`^${k.replace(/\./g, '\\.')}( [xy])?=.* is (below the minimum|above the maximum); using `));
        }
      }
    }
  });

  it('hostile values (huge, wrong type, NUL, 10,000 characters): a short note per key, a valid value, a clean short URL', async () => {
    for (const t of await tablesOf(id)) {
      const keys = Object.keys(t);
      // Each key with each bad value alone, then all keys at once (as the browser fuzz sends them).
      const queries = [
        ...keys.flatMap((k) => BAD.map((bad) => [[k, bad]] as [string, string][])),
        ...BAD.map((_, i) => keys.map((k, j) => [k, BAD[(i + j) % BAD.length]] as [string, string])),
      ];
      for (const pairs of queries) {
        const what = pairs.map(([k, v]) => `${k}=${JSON.stringify(v.slice(0, 12))}`).join('&');
        const { values, notes } = parseParams(t, viaUrl(new URLSearchParams(pairs)));
        for (const [k, bad] of pairs) {
          const s = t[k];
          expect(valid(s, values[k]), `${what}: ${k} → ${JSON.stringify(values[k])}`).toBe(true);
          // A value the table accepts as it is needs no note ('1,2,3' could be a valid list); others do.
          const accepted = parseParams(t, new URLSearchParams({ [k]: bad })).notes.length === 0;
          if (!accepted) expect(notes.some((n) => new RegExp(`^${k.replace(/\./g, '\\.')}[=: ]`).test(n)), `${what}: no note for ${k}`).toBe(true);
        }
        for (const n of notes) expect(n.length, n.slice(0, 80)).toBeLessThan(300);
        // What the demo writes back is short and reads back without a note.
        const q = serializeParams(t, values, new URLSearchParams());
        expect(q.toString().length).toBeLessThan(2000);
        expect(parseParams(t, viaUrl(q)).notes).toEqual([]);
      }
    }
  });
});
