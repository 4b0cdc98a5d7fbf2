/** What the parts of the view share: the parameter types and how a share is written. */
import type { ParamValues } from '../runtime/params';
import { metricsParams } from './params';

export type Values = ParamValues<typeof metricsParams>;
export type SetParam = <K extends keyof Values>(key: K, value: Values[K]) => void;
export const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}\u00a0%` : '–');
