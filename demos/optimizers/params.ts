import { defineParams, type ParamSpec } from '../runtime/params';
import { OPTIMIZERS, OPTIMIZER_NAMES, SURFACES, SURFACE_NAMES, type HyperControl, type OptimizerName, type SurfaceName } from './model';

/** The race's fixed parameters: surface, runners, speed. */
export const raceParams = defineParams({
  surface: {
    kind: 'choice',
    label: 'Surface',
    options: SURFACE_NAMES.map((s) => ({ value: s, label: SURFACES[s].name })),
    default: 'rosenbrock',
  },
  opts: {
    kind: 'multi',
    label: 'Optimizers',
    options: OPTIMIZER_NAMES.map((o) => ({ value: o, label: OPTIMIZERS[o].name })),
    default: ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam'],
    minCount: 1,
  },
  speed: { kind: 'number', label: 'Steps per frame', min: 1, max: 100, step: 1, default: 10 },
});

/** URL key of one hyper-parameter control: `adam.lr`, `adam.betas1`, `sgd.nesterov`. */
export function hyperKey(o: OptimizerName, c: HyperControl): string {
  return `${o}.${c.key}${c.kind === 'number' && c.index !== undefined ? c.index + 1 : ''}`;
}

function controlSpec(o: OptimizerName, c: HyperControl, surface: SurfaceName): ParamSpec {
  if (c.kind === 'boolean') return { kind: 'toggle', label: c.label, default: c.default, help: c.help };
  // The learning rate starts at a value that makes a lively race on this surface; torch's default
  // suits deep nets and barely moves here (the notes say so).
  const def = c.key === 'lr' ? SURFACES[surface].suggestedLr[o] : c.default;
  const log = c.scale === 'log';
  return { kind: 'number', label: c.label, min: c.min, max: c.max, step: log ? c.min : c.step, default: def, log, help: c.help };
}

const cache = new Map<SurfaceName, ReturnType<typeof buildHyperParams>>();
function buildHyperParams(surface: SurfaceName) {
  const s = SURFACES[surface];
  const table: Record<string, ParamSpec> = {
    start: { kind: 'point', label: 'Start', min: [s.view[0], s.view[2]], max: [s.view[1], s.view[3]], step: 0.01, default: s.start },
  };
  for (const o of OPTIMIZER_NAMES) for (const c of OPTIMIZERS[o].controls) table[hyperKey(o, c)] = controlSpec(o, c, surface);
  return defineParams(table);
}

/**
 * Start point and every optimizer's hyper-parameters, with defaults that depend on the surface (its
 * start and suggested learning rates). One table per surface, memoised so its identity is stable.
 */
export function hyperParams(surface: SurfaceName) {
  let t = cache.get(surface);
  if (!t) cache.set(surface, (t = buildHyperParams(surface)));
  return t;
}

/** Every parameter table this demo reads: the race's, and the hyper-parameters' of each surface. */
export const paramTables = [raceParams, ...SURFACE_NAMES.map(hyperParams)];
