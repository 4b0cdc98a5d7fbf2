/**
 * A demo's parameters, declared once: the table drives its controls, its URL query and validation
 * (TensorFlow Playground's state.ts idea). Pure: no React, no DOM, so Node tests cover it.
 */
interface Base {
  label: string;
  help?: string;
}
export interface NumberSpec extends Base {
  kind: 'number';
  min: number;
  max: number;
  /** Resolution of the control; values are rounded to it. Use 1 for integers. */
  step: number;
  default: number;
  /** Log-scaled slider (learning rates). */
  log?: boolean;
}
export interface ChoiceSpec extends Base {
  kind: 'choice';
  options: readonly { value: string; label: string }[];
  default: string;
}
export interface ToggleSpec extends Base {
  kind: 'toggle';
  default: boolean;
}
export interface MultiSpec extends Base {
  kind: 'multi';
  options: readonly { value: string; label: string }[];
  default: readonly string[];
  /** At least this many must stay selected. */
  minCount?: number;
}
export interface PointSpec extends Base {
  kind: 'point';
  min: readonly [number, number];
  max: readonly [number, number];
  step: number;
  default: readonly [number, number];
}
export type ParamSpec = NumberSpec | ChoiceSpec | ToggleSpec | MultiSpec | PointSpec;
export type ParamTable = Record<string, ParamSpec>;

type ValueOf<S extends ParamSpec> = S extends NumberSpec
  ? number
  : S extends ChoiceSpec
    ? string
    : S extends ToggleSpec
      ? boolean
      : S extends MultiSpec
        ? string[]
        : S extends PointSpec
          ? [number, number]
          : never;
export type ParamValues<T extends ParamTable> = { [K in keyof T]: ValueOf<T[K]> };

/** Identity with type inference: `const params = defineParams({...})`. */
/** The allowed values for a note: all of them, or the first eight and how many there are (a note stays short). */
function listOptions(values: readonly string[], most = 8): string {
  return values.length <= most ? values.join(', ') : `${values.slice(0, most).join(', ')}, … (${values.length} in all)`;
}

export function defineParams<T extends ParamTable>(table: T): T {
  for (const [key, s] of Object.entries(table)) {
    if (!/^[a-zA-Z][\w.-]*$/.test(key)) throw new Error(`Bad parameter name "${key}"`);
    if (s.kind === 'number' && !(s.min <= s.default && s.default <= s.max)) {
      throw new Error(`Parameter "${key}": default ${s.default} outside [${s.min}, ${s.max}]`);
    }
  }
  return table;
}

/** Digits after the decimal point that a step needs (0.001 → 3). */
function decimals(step: number): number {
  if (Number.isInteger(step)) return 0;
  const s = step.toExponential().split('e');
  const mant = s[0].replace('.', '').replace('-', '').length - 1;
  return Math.max(0, mant - Number(s[1]));
}

/** Round to the spec's step, avoiding 0.30000000000000004 in URLs. */
export function roundToStep(x: number, step: number): number {
  const r = Math.round(x / step) * step;
  return Number(r.toFixed(decimals(step)));
}

export function defaults<T extends ParamTable>(table: T): ParamValues<T> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(table)) {
    out[k] = s.kind === 'multi' ? [...s.default] : s.kind === 'point' ? [...s.default] : s.default;
  }
  return out as ParamValues<T>;
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** Clamp a number into [min, max] on the step grid; returns the value and a note when it changed. */
function clampNumber(raw: number, min: number, max: number, step: number, name: string): { v: number; note?: string } {
  if (raw < min) return { v: min, note: `${name}=${fmt(raw)} is below the minimum; using ${fmt(min)}.` };
  if (raw > max) return { v: max, note: `${name}=${fmt(raw)} is above the maximum; using ${fmt(max)}.` };
  return { v: Math.min(max, Math.max(min, roundToStep(raw, step))) };
}

/** A value from the URL as quoted in a note: at most 40 characters, whatever a link holds. */
function clip(raw: string): string {
  return raw.length > 40 ? `${raw.slice(0, 39)}…` : raw;
}

/**
 * Read values from a URL query. Missing keys take defaults; out-of-range numbers are clamped and
 * malformed values reset, each with a human-readable note for the demo to show.
 */
export function parseParams<T extends ParamTable>(
  table: T,
  query: URLSearchParams,
  prefix = '',
): { values: ParamValues<T>; notes: string[] } {
  const values = defaults(table) as Record<string, unknown>;
  const notes: string[] = [];
  for (const [key, s] of Object.entries(table)) {
    const name = prefix + key;
    const raw = query.get(name);
    if (raw === null) continue;
    const reset = (why: string) => notes.push(`${name}="${clip(raw)}" ${why}; using the default.`);
    switch (s.kind) {
      case 'number': {
        const x = raw.trim() === '' ? NaN : Number(raw);
        if (!Number.isFinite(x)) {
          reset('is not a number');
          break;
        }
        const { v, note } = clampNumber(x, s.min, s.max, s.step, name);
        values[key] = v;
        if (note) notes.push(note);
        break;
      }
      case 'choice': {
        if (s.options.some((o) => o.value === raw)) values[key] = raw;
        else reset(`is not one of ${listOptions(s.options.map((o) => o.value))}`);
        break;
      }
      case 'toggle': {
        if (raw === '1' || raw === 'true') values[key] = true;
        else if (raw === '0' || raw === 'false') values[key] = false;
        else reset('is not 0 or 1');
        break;
      }
      case 'multi': {
        const picked = raw.split(',').filter(Boolean);
        const known = picked.filter((v) => s.options.some((o) => o.value === v));
        const unknown = picked.filter((v) => !known.includes(v));
        const unique = [...new Set(known)];
        if (unknown.length) notes.push(`${name}: ignored unknown ${unknown.slice(0, 5).map(clip).join(', ')}${unknown.length > 5 ? ', …' : ''}.`);
        if (unique.length < (s.minCount ?? 0)) reset(`selects fewer than ${s.minCount}`);
        else values[key] = unique;
        break;
      }
      case 'point': {
        const parts = raw.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
        if (parts.length !== 2 || !parts.every(Number.isFinite)) {
          reset('is not a point "x,y"');
          break;
        }
        const cx = clampNumber(parts[0], s.min[0], s.max[0], s.step, `${name} x`);
        const cy = clampNumber(parts[1], s.min[1], s.max[1], s.step, `${name} y`);
        values[key] = [cx.v, cy.v];
        for (const n of [cx.note, cy.note]) if (n) notes.push(n);
        break;
      }
    }
  }
  return { values: values as ParamValues<T>, notes };
}

// Numbers are written exactly on their step's grid: fewer digits would move a log slider's value
// (0.004008667176 on a 1e-10 grid) when the link is opened.
function encode(s: ParamSpec, v: unknown): string {
  switch (s.kind) {
    case 'number':
      return String(roundToStep(v as number, s.step));
    case 'toggle':
      return v ? '1' : '0';
    case 'multi':
      return (v as string[]).join(',');
    case 'point':
      return (v as number[]).map((x) => String(roundToStep(x, s.step))).join(',');
    default:
      return String(v);
  }
}

/**
 * Write values into `query` (a copy is returned): only values that differ from the defaults, so a
 * link stays short; keys of this table that match defaults are removed, other keys are kept.
 */
export function serializeParams<T extends ParamTable>(
  table: T,
  values: ParamValues<T>,
  query: URLSearchParams = new URLSearchParams(),
  prefix = '',
): URLSearchParams {
  const out = new URLSearchParams(query);
  const d = defaults(table) as Record<string, unknown>;
  for (const [key, s] of Object.entries(table)) {
    const enc = encode(s, (values as Record<string, unknown>)[key]);
    if (enc === encode(s, d[key])) out.delete(prefix + key);
    else out.set(prefix + key, enc);
  }
  return out;
}
