import { describe, expect, it } from 'vitest';
import { cruise, type IForbiddenRuleType, type IReporterOutput } from 'dependency-cruiser';
import { LAYERS, layerRules } from './layers';

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
  };
}

describe('layers: imports run one way, down', () => {
  it(`${LAYERS.map((l) => l.name).join(' → ')}; no cycles; no demo imports another`, async () => {
    const { modules, list } = await violations();
    expect(modules).toBeGreaterThan(60); // the graph was really read
    expect(list).toEqual([]);
  }, 60_000);

  it('the rules catch an upward import (runtime → ui, planted in a scratch rule set)', async () => {
    // The real tree has no violation, so check the checker: a rule forbidding a real, downward import
    // (ui → runtime) must report it.
    const { list } = await violations([{ name: 'probe', severity: 'error', from: { path: '^demos/ui/' }, to: { path: '^demos/runtime/' } }]);
    expect(list.some((v) => v.startsWith('probe: demos/ui/'))).toBe(true);
  }, 60_000);
});
