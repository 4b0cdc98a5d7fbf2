/** How the transfer demo's parts write an accuracy. */
export const pct = (x: number) => `${(100 * x).toFixed(1)}\u00a0%`;
