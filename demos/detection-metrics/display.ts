/** What the parts of the view share: the parameter types. */
import type { ParamValues } from '../runtime/params';
import { metricsParams } from './params';

export type Values = ParamValues<typeof metricsParams>;
export type SetParam = <K extends keyof Values>(key: K, value: Values[K]) => void;
