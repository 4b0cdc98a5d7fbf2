/**
 * URL values a reader, a typo or an attacker may send, as the page reads them (decoded): huge numbers,
 * wrong types, a NUL character, a list, and 10,000 characters (Infinity when read as a number). Every
 * parameter of every demo meets each of them in demos/params.test.ts (Node); the browser fuzz sends
 * them to a page once (e2e/reliability.e2e.ts).
 */
export const HUGE = '1234567890'.repeat(1000);
export const BAD_VALUES: readonly string[] = ['1e308', '-1e308', 'abc', '[]', '\0', 'NaN', 'Infinity', '1,2,3', HUGE];
