/**
 * Numbers as the site writes them, without Intl: a page's first toLocaleString starts ICU's number formatting,
 * 80–130 ms in this machine's Chromium and several times that on a phone. Pure, so views (through
 * ui/plots/scale) and the runtime's workers write numbers alike.
 */

/**
 * An integer with its thousands separated by commas, as toLocaleString('en-US') writes it (2,215).
 */
export function formatInt(n: number): string {
  const r = Math.round(n);
  if (!Number.isFinite(r) || Math.abs(r) >= 1e21) return String(r);
  const digits = String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return r < 0 ? `-${digits}` : digits;
}

/**
 * Any number as toLocaleString('en-US') writes it (at most three decimals, thousands separated: 1,234.568),
 * without Intl. Views write their counts and sizes with it.
 */
export function formatNumber(x: number): string {
  if (Number.isInteger(x) || !Number.isFinite(x) || Math.abs(x) >= 1e21) return Number.isFinite(x) ? formatInt(x) : Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '-∞';
  const [int, frac] = Math.abs(x).toFixed(3).split('.');
  const decimals = frac.replace(/0+$/, '');
  const s = `${formatInt(Number(int))}${decimals ? `.${decimals}` : ''}`;
  return x < 0 ? `-${s}` : s;
}

/**
 * A fraction as a percentage with `digits` decimals (0.1234 → "12.3 %"), the sign held to its number by a no-break
 * space so a line never starts with "%"; "–" for a value that is not a number yet (NaN, ±∞).
 */
export function formatPercent(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(100 * fraction).toFixed(digits)}\u00a0%` : '–';
}
