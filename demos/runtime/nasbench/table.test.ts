import { describe, expect, it } from 'vitest';
import { BENCH_SETTINGS } from './build';
import { SPACE_SIZE } from './space';
import { BENCH_FORMAT, BENCH_HEADER, BenchFormatError, formatBenchLine, loadBenchTable, parseBenchTable, sha256Hex, validateManifest, type BenchManifest } from './table';

/** A complete synthetic results file: accuracy rises with the index, so the optimum is the last cell. */
async function synthetic(edit?: (lines: string[]) => void): Promise<{ manifest: BenchManifest; bytes: Uint8Array }> {
  const lines = [BENCH_HEADER];
  for (let i = 0; i < SPACE_SIZE; i++) lines.push(formatBenchLine(i, { val: 0.5 + (0.4 * i) / SPACE_SIZE, test: 0.45 + (0.4 * i) / SPACE_SIZE, seconds: 1 }));
  edit?.(lines);
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  const manifest: BenchManifest = {
    format: BENCH_FORMAT, version: 1, file: 'cells.csv', bytes: bytes.length, sha256: await sha256Hex(bytes), cells: SPACE_SIZE, trained: 343,
    seed: 1, date: '2026-01-01T00:00:00Z', settings: BENCH_SETTINGS, backend: 'test', processes: 1, wallMinutes: 0, trainSecondsTotal: 343,
  };
  return { manifest, bytes };
}

describe('nasbench table', () => {
  it('parses a well-formed file and finds its optimum', async () => {
    const { manifest, bytes } = await synthetic();
    const t = await parseBenchTable(JSON.parse(JSON.stringify(manifest)), bytes);
    expect(t.val.length).toBe(SPACE_SIZE);
    expect(t.bestVal).toBe(SPACE_SIZE - 1);
    expect(t.bestTest).toBeCloseTo(0.45 + (0.4 * (SPACE_SIZE - 1)) / SPACE_SIZE, 4);
  });

  it('loads through a fetch as the browser does, and says what is wrong with a bad manifest or file', async () => {
    const { manifest, bytes } = await synthetic();
    const files: Record<string, string | Uint8Array> = { '/data/nasbench/manifest.json': JSON.stringify(manifest), '/data/nasbench/cells.csv': bytes };
    const fakeFetch = (async (url: string) => (url in files ? new Response(files[url] as BodyInit) : new Response('no', { status: 404 }))) as typeof fetch;
    expect((await loadBenchTable(fakeFetch)).bestVal).toBe(SPACE_SIZE - 1);
    files['/data/nasbench/manifest.json'] = '{not json';
    await expect(loadBenchTable(fakeFetch)).rejects.toThrow(/not valid JSON/);
    expect(() => validateManifest({ ...manifest, format: 'x' })).toThrow(BenchFormatError);
    expect(() => validateManifest({ ...manifest, cells: 10 })).toThrow(/512 cells expected/);
    expect(() => validateManifest({ ...manifest, sha256: 'abc' })).toThrow(/64 hex/);
    const tampered = bytes.slice();
    tampered[40] ^= 1;
    await expect(parseBenchTable(manifest, tampered)).rejects.toThrow(/SHA-256/);
    const wrongParams = await synthetic((l) => (l[5] = l[5].replace(/,(\d+),(\d+),/, ',1,$2,')));
    await expect(parseBenchTable(wrongParams.manifest, wrongParams.bytes)).rejects.toThrow(/line 6: params\/MACs/);
    const outOfRange = await synthetic((l) => (l[3] = l[3].replace(/^2,[0-9.]+,/, '2,1.5,')));
    await expect(parseBenchTable(outOfRange.manifest, outOfRange.bytes)).rejects.toThrow(/line 4: accuracies/);
  });
});
