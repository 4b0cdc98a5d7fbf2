import type { ReactNode } from 'react';

/** One row of a {@link StatsTable}: its header cell, its cells, and data-* attributes for tests. */
export interface StatsRow {
  key: string;
  head: ReactNode;
  cells: readonly ReactNode[];
  data?: Record<`data-${string}`, string | number | undefined>;
}

/**
 * A table of numbers in the site's `stats` style: a caption, one header row, then rows whose first cell names
 * the row (`<th scope="row">`). The style (globals.css) right-aligns the numbers and scrolls the table sideways
 * on a narrow screen.
 */
export function StatsTable({ caption, columns, rows, testId }: { caption: ReactNode; columns: readonly ReactNode[]; rows: readonly StatsRow[]; testId?: string }) {
  return (
    <table className="stats" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} {...r.data}>
            <th scope="row">{r.head}</th>
            {r.cells.map((c, i) => (
              <td key={i}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
