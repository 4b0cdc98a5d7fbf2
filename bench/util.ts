/** Shared types and small helpers of the benchmark (Node side). */
import type { Harness } from '../e2e/harness';

/** One measured value beside its goal, for the table in docs/benchmarks.md. */
export interface GoalRow {
  what: string;
  value: string;
  goal: string;
  /** null: no goal, reported for information. */
  met: boolean | null;
}

/** What a figure returns: one console line, its rows for the table, and raw data for the JSON. */
export interface FigureResult {
  line: string;
  rows: GoalRow[];
  data: unknown;
}

/** What every figure gets: the static server of out/ and the shared browser (e2e/harness.ts). */
export interface BenchContext {
  h: Harness;
  /** Progress messages (stderr), so stdout keeps one line per figure. */
  log: (msg: string) => void;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/** A number with about three significant digits. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function mark(met: boolean | null): string {
  return met === null ? '' : met ? '✓' : '✗';
}
