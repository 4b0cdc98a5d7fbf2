// Reproduces a page's headline result in Node, as the page computes it.
// Usage: npm run reproduce -- deep-compression [--write]
//   deep-compression   prune → share → Huffman on the shipped LeNet-300-100; one line per stage, then
//                      `compression: <ratio>x accuracy: <test accuracy on the 10,000 test digits>`
//   --write            also save each stage's encoded network and the table to public/models/mlp-deep-compression/
//   resnet             the ResNet demo's plain and residual nets at its defaults for depths 2…32: one line per depth
import { parseArgs } from 'node:util';
import { importTs } from './run-ts.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { write: { type: 'boolean' } } });
const TARGETS = ['deep-compression', 'resnet'];
if (positionals.length !== 1 || !TARGETS.includes(positionals[0])) {
  console.error(`usage: npm run reproduce -- <${TARGETS.join('|')}> [--write]`);
  process.exit(2);
}
try {
  const mod = await importTs('scripts/reproduce.ts');
  if (positionals[0] === 'resnet') await mod.reproduceResnet();
  else await mod.reproduceDeepCompression({ write: values.write });
} catch (e) {
  console.error(`reproduce ${positionals[0]}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
