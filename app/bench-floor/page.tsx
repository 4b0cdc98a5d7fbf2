import type { Metadata } from 'next';

// The framework floor for `npm run bench`: a page of this build with nothing but the root layout and a
// heading, so the benchmark can compare every notes page's first JavaScript against it. Not linked from
// anywhere, not indexed by search engines, and skipped by the search index (no data-pagefind-body).
export const metadata: Metadata = {
  title: 'Benchmark floor',
  robots: { index: false, follow: false },
};

/** A heading and nothing else. */
export default function BenchFloor() {
  return (
    <main id="main">
      <h1>Benchmark floor</h1>
    </main>
  );
}
