/** How the overview view writes its numbers and lays out its two tables: pure, tested in Node. */
import { costComparison, type MinibatchGradients } from './model';

/** A loss or gradient: three decimals, or one significant decimal in exponent form when very large or small. */
export const fmt = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(1) : x.toFixed(3));

/** A byte count in decimal units with three significant digits (2 TB, 1.25 PB). */
export function bytes(b: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  const i = Math.min(units.length - 1, Math.max(0, Math.floor(Math.log10(Math.max(b, 1)) / 3)));
  return `${Number((b / 10 ** (3 * i)).toPrecision(3))} ${units[i]}`;
}

/** A count: whole below 10⁴, above in the form 6.0·10^12. */
export const big = (x: number) => (x < 1e4 ? String(Math.round(x)) : x.toExponential(1).replace('e+', '·10^'));

const sd = (v: number) => Math.sqrt(Math.max(0, v));

/** The spread table's rows: [what, ∂J/∂w, ∂J/∂b] for the full gradient, the batches' mean, and their std measured and in theory. */
export function spreadRows(mb: MinibatchGradients): [string, string, string][] {
  return [
    ['full gradient', fmt(mb.full[0]), fmt(mb.full[1])],
    [`mean of ${mb.count} batches`, fmt(mb.mean[0]), fmt(mb.mean[1])],
    ['std, measured', fmt(sd(mb.cov[0])), fmt(sd(mb.cov[2]))],
    ['std, theory √(σ²/B·(N−B)/(N−1))', fmt(sd(mb.theoryVar[0])), fmt(sd(mb.theoryVar[1]))],
  ];
}

/** The cost table's rows: n, a gradient, forming the Hessian, solving with it (multiply-adds), and the Hessian's memory. */
export function costRows(ns: readonly number[]): { n: number; cells: string[] }[] {
  return ns.map((n) => {
    const c = costComparison(n);
    return { n, cells: [big(n), big(c.gradient), big(c.formHessian), big(c.solve), bytes(c.hessianBytes)] };
  });
}
