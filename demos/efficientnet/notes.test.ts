/** The numbers the notes (content/automl/efficientnet.mdx) quote, computed from the code and the shipped run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compound, family, parseResults, tinyCost, type ChildResult } from './model';
import shipped from './shipped.json';

const mdx = readFileSync(join(__dirname, '..', '..', 'content', 'automl', 'efficientnet.mdx'), 'utf8');
const run = parseResults(JSON.stringify(shipped));
const pct = (a: number) => `${(100 * a).toFixed(1)} %`;
const LABEL: Record<ChildResult['kind'], string> = { base: 'base', grid: 'grid', compound: 'compound', depth: 'depth only', width: 'width only', resolution: 'resolution only' };

describe("the notes' numbers", () => {
  it('the shipped-run table is the shipped run, row by row (the φ = 1 compound child is its grid winner)', () => {
    expect(run.settings).toEqual({ seed: 1, steps: 150, candidates: 6, train: 2000, test: 500 });
    const quoted = mdx.split('\n').filter((l) => /^\| (base|grid|compound|depth only|width only|resolution only) \|/.test(l));
    const rows = run.children.filter((c) => !(c.kind === 'compound' && c.phi === 1));
    expect(quoted).toHaveLength(rows.length);
    rows.forEach((c, i) => {
      const co = c.coeffs ? `${c.coeffs.alpha}, ${c.coeffs.beta}, ${c.coeffs.gamma}` : '–';
      expect(quoted[i]).toBe(`| ${LABEL[c.kind]} | ${c.phi} | ${co} | ${c.arch.layers} | ${c.arch.channels.join('/')} | ${c.arch.pixels} | ${c.macs.toLocaleString('en')} | ${pct(c.accuracy)} |`);
    });
    expect(run.chosen).toEqual({ alpha: 1.2, beta: 1.1, gamma: 1.174 });
    expect(mdx).toContain('$\\alpha = 1.2$, $\\beta = 1.1$, $\\gamma = 1.174$');
  });

  it('the run in words: trainings, time, the compound margin, the realized cost ratios', () => {
    const trained = run.children.filter((c) => c.seconds > 0);
    expect(trained).toHaveLength(14);
    expect(mdx).toContain(`The 14\ntrainings took ${Math.round(run.seconds)} s`);
    expect(Math.round(run.seconds / trained.length)).toBe(9);
    const at1 = run.children.filter((c) => c.phi === 1);
    const comp1 = at1.find((c) => c.kind === 'compound')!;
    expect(Math.max(...run.children.map((c) => c.accuracy))).toBe(comp1.accuracy);
    const single1 = Math.max(...at1.filter((c) => ['depth', 'width', 'resolution'].includes(c.kind)).map((c) => c.accuracy));
    expect(mdx).toContain(`(${pct(comp1.accuracy)} against ${pct(single1)} for the best single\ndimension)`);
    const comp2 = run.children.find((c) => c.kind === 'compound' && c.phi === 2)!;
    const width2 = run.children.find((c) => c.kind === 'width' && c.phi === 2)!;
    expect(comp2.accuracy).toBeLessThan(width2.accuracy);
    expect(mdx).toContain(`compound scaling (${pct(comp2.accuracy)}) falls behind width alone (${pct(width2.accuracy)})`);
    const deep = run.children.find((c) => c.kind === 'depth' && c.phi === 2)!;
    expect(deep.arch.layers * 2).toBe(16);
    expect(mdx).toContain(`trains worst (${pct(deep.accuracy)})`);
    expect(Math.min(...run.children.map((c) => c.accuracy))).toBe(deep.accuracy);
    const ratios = at1.map((c) => c.macs / tinyCost({ depth: 1, width: 1, resolution: 1 }).macs);
    expect([Math.min(...ratios).toFixed(1), Math.max(...ratios).toFixed(1)]).toEqual(['1.9', '3.4']);
    expect(tinyCost({ depth: 1, width: 1, resolution: 1 }).macs.toLocaleString('en')).toBe('99,328');
    expect(mdx).toContain('99,328 per digit');
  });

  it('the calculator asides: φ = 7 gives ×96, B7 costs 98 times B0; B0…B7 figures quoted', () => {
    expect(Math.round(compound(7).flops)).toBe(96);
    const rows = family();
    expect(Math.round(rows[7].macs / rows[0].macs)).toBe(98);
    expect(mdx).toContain('FLOPs × 96, close to B7\'s 98 times');
    expect(mdx).toContain(`from ${rows[0].params.toLocaleString('en')} for B0 to ${rows[7].params.toLocaleString('en')} for B7`);
    expect(mdx).toContain(`from ${(rows[0].macs / 1e9).toFixed(3)} G at 224 px to ${(rows[7].macs / 1e9).toFixed(3)} G at 600 px`);
    expect(mdx).toContain(`score ${rows[0].published.top1.toFixed(1)} % (B0) to ${rows[7].published.top1.toFixed(1)} % (B7)`);
    expect(rows[7].phi.depth.toFixed(1)).toBe('6.2');
    expect(mdx).toContain('$\\phi \\approx 6.2$, its width 2.0 implies $\\phi \\approx 7.3$, and its 600 px implies\n$\\phi \\approx 7.0$');
  });
});
