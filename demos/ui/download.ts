/** Saves `value` as a JSON file named `name` through the browser's download (an export of results the reader can import again). */
export function downloadJson(name: string, value: unknown, space?: number): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, space)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked a moment later: some browsers start the download only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
