import { describe, expect, it } from 'vitest';
import { cruise, type IForbiddenRuleType, type IReporterOutput } from 'dependency-cruiser';
import { LAYERS, layerRules } from './layers';
import { demos, type DemoEntry } from '../demos/registry';

// The import graph of the site's code, read by dependency-cruiser (TypeScript-aware, follows the '@/' alias).
async function violations(extra: IForbiddenRuleType[] = [], files = ['app', 'components', 'demos', 'lib']) {
  const out: IReporterOutput = await cruise(files, {
    ruleSet: { forbidden: [...layerRules(), ...extra] },
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.next|out)/' },
    tsPreCompilationDeps: true,
    validate: true,
  }, { extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'] });
  const result = out.output as Exclude<IReporterOutput['output'], string>;
  return {
    modules: result.modules.length,
    list: result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`),
    graph: result.modules,
  };
}

type Graph = Awaited<ReturnType<typeof violations>>['graph'];

/** The real rules over the real tree, read once for the tests that need only that (a cruise is seconds of CPU). */
let real: ReturnType<typeof violations> | null = null;
const realGraph = () => (real ??= violations());
/** A cruise is CPU-bound: on a loaded 2-core machine it took 40 s where a quiet one takes 2. */
const CRUISE_MS = 180_000;

/** The chain of imports from `from` to the first module matching `to`, following only imports that stay in the built code (not `import type`). */
function chainTo(graph: Graph, from: string, to: RegExp): string[] | null {
  const deps = new Map(graph.map((m) => [m.source, m.dependencies.filter((d) => !d.dependencyTypes.includes('type-only')).map((d) => d.resolved)]));
  const parent = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const m = queue.shift()!;
    if (to.test(m)) {
      const chain = [];
      for (let c: string | null = m; c !== null; c = parent.get(c) ?? null) chain.unshift(c);
      return chain;
    }
    for (const d of deps.get(m) ?? []) if (!parent.has(d)) (parent.set(d, m), queue.push(d));
  }
  return null;
}

describe('layers: imports run one way, down', () => {
  it(`${LAYERS.map((l) => l.name).join(' → ')}; no cycles; no demo imports another`, async () => {
    const { modules, list } = await realGraph();
    expect(modules).toBeGreaterThan(60); // the graph was really read
    expect(list).toEqual([]);
  }, CRUISE_MS);

  it('the rules catch an upward import (runtime → ui, planted in a scratch rule set)', async () => {
    // The real tree has no violation, so check the checker: a rule forbidding a real, downward import
    // (ui → runtime) must report it.
    const { list } = await violations([{ name: 'probe', severity: 'error', from: { path: '^demos/ui/' }, to: { path: '^demos/runtime/' } }]);
    expect(list.some((v) => v.startsWith('probe: demos/ui/'))).toBe(true);
  }, CRUISE_MS);

  it('a demo without tensors on the page (registry tensors: false or \'worker\') imports no tfjs, not even through a shared module', async () => {
    const { graph } = await realGraph();
    const TF = /^demos\/runtime\/tf\.ts$|@tensorflow/;
    const free = Object.entries(demos).filter(([, d]) => (d as DemoEntry).tensors !== undefined).map(([id]) => id);
    expect(free).toEqual(expect.arrayContaining(['detection-metrics', 'two-stage']));
    for (const id of free) expect(chainTo(graph, `demos/${id}/View.tsx`, TF), id).toBeNull();
    // The check can fail: a demo with tensors on the page reaches tfjs through its model, and a worker's entry does.
    expect(chainTo(graph, 'demos/optimizers/View.tsx', TF)).toContain('demos/runtime/tf.ts');
    expect(chainTo(graph, 'demos/two-stage/pool.worker.ts', TF)).toContain('demos/runtime/tf.ts');
  }, CRUISE_MS);
});
