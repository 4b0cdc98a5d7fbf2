import type { IForbiddenRuleType } from 'dependency-cruiser';

/**
 * The code's layers, top to bottom. A module may import its own layer or any layer below it, never one
 * above: `lib/layers.test.ts` checks the whole import graph with dependency-cruiser.
 *
 * - app: routes.
 * - site: the site's components and the Demo frame (`components/`).
 * - build: the build-time content pipeline (`lib/`), used by routes and site components.
 * - demos: each demo (`demos/<id>/`) plus the registry and the lazy view list.
 * - ui: what views are made of: the lifecycle hooks, controls, plots, the digit input (`demos/ui/`).
 * - runtime: tfjs and its kernels, parameter tables, randomness, data, models, workers (`demos/runtime/`);
 *   no React, no DOM widgets.
 */
export const LAYERS = [
  { name: 'app', path: '^app/' },
  { name: 'site', path: '^components/' },
  { name: 'build', path: '^lib/' },
  { name: 'demos', path: '^demos/(?!ui/|runtime/)' },
  { name: 'ui', path: '^demos/ui/' },
  { name: 'runtime', path: '^demos/runtime/' },
] as const;

/** Tests may cross layers to check that they fit together (content against the demo registry). */
const TESTS = '\\.test\\.tsx?$';


/** dependency-cruiser "forbidden" rules for the layers above, cycles, and demos importing each other. */
export function layerRules(): IForbiddenRuleType[] {
  const rules: IForbiddenRuleType[] = LAYERS.slice(1).map((layer, i) => ({
    name: `${layer.name}-imports-up`,
    severity: 'error',
    comment: `${layer.name} may not import ${LAYERS.slice(0, i + 1).map((l) => l.name).join(', ')}`,
    from: { path: layer.path, pathNot: TESTS },
    to: { path: `(${LAYERS.slice(0, i + 1).map((l) => l.path).join(')|(')})` },
  }));
  // The build pipeline (lib) is beside the site, not above the demos: it may not reach into them either.
  rules.push({ name: 'build-imports-demos', severity: 'error', from: { path: '^lib/', pathNot: TESTS }, to: { path: '^demos/' } });
  rules.push({
    name: 'demo-imports-another-demo',
    severity: 'error',
    comment: 'what two demos share belongs in ui or runtime',
    from: { path: '^demos/([^/]+)/' , pathNot: '^demos/(ui|runtime)/' },
    to: { path: '^demos/(?!ui/|runtime/)[^/]+/', pathNot: '^demos/$1/' },
  });
  // A type-only import back (wasm-kernels.ts names tf.ts's types) is erased at compile time: not a cycle.
  rules.push({ name: 'no-cycles', severity: 'error', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } });
  return rules;
}
