// Builds the MNIST shards the site serves: public/data/mnist/{manifest.json,*.adlm}, and the photos of
// public/data/images/ (the Mandrill test image of the baboon-image-uri package, raw RGB + manifest.json).
// Usage: node scripts/prepare-data.mjs [outDir]   (run from the repo root; `npm run data`)
// The logic is TypeScript (scripts/mnist-node.ts, shared with tests), imported via ./run-ts.mjs.
import path from 'node:path';
import { importTs } from './run-ts.mjs';

const t0 = performance.now();
const outDir = path.resolve(process.argv[2] ?? 'public/data/mnist');
const { prepareMnistShards } = await importTs('scripts/mnist-node.ts');
const manifest = prepareMnistShards({ outDir });

const bytes = (split) => manifest.shards.filter((s) => s.split === split).reduce((n, s) => n + s.bytes, 0);
for (const split of ['test', 'train']) {
  const n = manifest.shards.filter((s) => s.split === split).length;
  console.log(`mnist ${split}: ${manifest.counts[split]} digits, ${n} shards, ${bytes(split)} bytes`);
}
console.log(`wrote ${path.relative(process.cwd(), outDir)} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

const { prepareImages } = await importTs('scripts/images-node.ts');
const imagesDir = path.resolve(path.dirname(outDir), 'images');
const images = prepareImages(imagesDir);
console.log(`images: ${images.images.map((i) => `${i.name} ${i.width}×${i.height}`).join(', ')} → ${path.relative(process.cwd(), imagesDir)}`);
