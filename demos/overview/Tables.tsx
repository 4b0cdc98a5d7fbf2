'use client';
import type { MinibatchGradients } from './model';
import { costRows, spreadRows } from './display';

/** How far a mini-batch gradient at θ strays from the full one: measured over the drawn batches and in theory. */
export function SpreadTable({ mb, n }: { mb: MinibatchGradients; n: number }) {
  return (
    <table className="stats">
      <caption>Spread of a mini-batch gradient at θ (N = {n})</caption>
      <thead>
        <tr>
          <th />
          <th>∂J/∂w</th>
          <th>∂J/∂b</th>
        </tr>
      </thead>
      <tbody>
        {spreadRows(mb).map(([what, w, b]) => (
          <tr key={what}>
            <th>{what}</th>
            <td>{w}</td>
            <td>{b}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What one step costs with n parameters: a gradient against forming and solving with the Hessian. */
export function CostTable({ ns }: { ns: readonly number[] }) {
  return (
    <table className="stats">
      <caption>Cost of one step with n parameters (multiply-adds)</caption>
      <thead>
        <tr>
          <th>n</th>
          <th>gradient</th>
          <th>form Hessian</th>
          <th>solve</th>
          <th>Hessian memory</th>
        </tr>
      </thead>
      <tbody>
        {costRows(ns).map(({ n, cells }) => (
          <tr key={n}>
            {cells.map((c, i) => (
              <td key={i}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
