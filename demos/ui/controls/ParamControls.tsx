'use client';
import { useId } from 'react';
import type { NumberSpec, ParamSpec, ParamTable, ParamValues } from '@/demos/runtime/params';
import { roundToStep } from '@/demos/runtime/params';
import { useFrame } from '@/demos/ui/frame';

/** Slider position ↔ value, linear or logarithmic (learning rates span decades). */
const SLIDER_STEPS = 1000;
function toSlider(s: NumberSpec, v: number): number {
  if (!s.log) return v;
  // Whole positions: a fractional value is snapped by the browser, and React then misses the change.
  return Math.round((Math.log(v / s.min) / Math.log(s.max / s.min)) * SLIDER_STEPS);
}
function fromSlider(s: NumberSpec, x: number): number {
  if (!s.log) return x;
  return roundToStep(s.min * Math.pow(s.max / s.min, x / SLIDER_STEPS), s.step);
}
function show(v: number): string {
  return Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(4))) : v.toExponential(1);
}

function Control({ name, spec, value, onChange }: { name: string; spec: ParamSpec; value: unknown; onChange: (v: unknown) => void }) {
  const id = useId();
  switch (spec.kind) {
    case 'number':
      return (
        <div className="control">
          <label htmlFor={id}>
            {spec.label} <output htmlFor={id}>{show(value as number)}</output>
          </label>
          <input
            id={id}
            name={name}
            type="range"
            min={spec.log ? 0 : spec.min}
            max={spec.log ? SLIDER_STEPS : spec.max}
            step={spec.log ? 1 : spec.step}
            value={toSlider(spec, value as number)}
            aria-valuetext={show(value as number)}
            title={spec.help}
            onChange={(e) => {
              // On a log slider one keyboard step can round back to the same value: move one step anyway.
              const x = Number(e.target.value);
              let v = fromSlider(spec, x);
              const cur = value as number;
              if (v === cur && x !== toSlider(spec, cur)) v = roundToStep(Math.min(spec.max, Math.max(spec.min, cur + Math.sign(x - toSlider(spec, cur)) * spec.step)), spec.step);
              onChange(v);
            }}
          />
        </div>
      );
    case 'choice':
      return (
        <div className="control">
          <label htmlFor={id}>{spec.label}</label>
          <select id={id} name={name} value={value as string} onChange={(e) => onChange(e.target.value)}>
            {spec.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      );
    case 'toggle':
      return (
        <div className="control checks">
          <label>
            <input type="checkbox" name={name} checked={value as boolean} onChange={(e) => onChange(e.target.checked)} />
            {spec.label}
          </label>
        </div>
      );
    case 'multi': {
      const sel = value as string[];
      return (
        <fieldset className="control">
          <legend>{spec.label}</legend>
          <div className="checks">
            {spec.options.map((o) => (
              <label key={o.value}>
                <input
                  type="checkbox"
                  name={`${name}.${o.value}`}
                  checked={sel.includes(o.value)}
                  disabled={sel.includes(o.value) && sel.length <= (spec.minCount ?? 0)}
                  onChange={(e) =>
                    onChange(e.target.checked ? spec.options.map((p) => p.value).filter((v) => v === o.value || sel.includes(v)) : sel.filter((v) => v !== o.value))
                  }
                />
                {o.label}
              </label>
            ))}
          </div>
        </fieldset>
      );
    }
    case 'point': {
      const [x, y] = value as [number, number];
      return (
        <div className="control">
          <span className="control-label">
            {spec.label}: <output>({show(x)}, {show(y)})</output>
          </span>
        </div>
      );
    }
  }
}

/**
 * Controls generated from a demo's parameter table: one labelled, keyboard-usable control per entry.
 * `only` picks and orders a subset when a demo lays its controls out in groups. An embed may hide some
 * (`?controls=`, see the frame's `shows`).
 */
export function ParamControls<T extends ParamTable>({
  table,
  values,
  onChange,
  only,
}: {
  table: T;
  values: ParamValues<T>;
  onChange: <K extends keyof T>(key: K, value: ParamValues<T>[K]) => void;
  only?: readonly (keyof T)[];
}) {
  const { prefix, shows } = useFrame();
  const keys = ((only ?? Object.keys(table)) as (keyof T & string)[]).filter((k) => shows(prefix + k));
  if (keys.length === 0) return null;
  return (
    <div className="controls">
      {keys.map((k) => (
        <Control key={k} name={k} spec={table[k]} value={values[k]} onChange={(v) => onChange(k, v as ParamValues<T>[typeof k])} />
      ))}
    </div>
  );
}
