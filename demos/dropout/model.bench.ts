/**
 * Step time of the dropout pair on wasm in Node: `npx vitest bench --run demos/dropout/model.bench.ts`.
 * One iteration is pair.step(10): ten training steps of both nets, then the evaluation and its one
 * read-back, as a frame of the demo runs them. Kernels per training step are printed beside.
 */
import { bench, describe } from 'vitest';
import { tf } from '../runtime/tf';
import { createPair, type Pair, type PairConfig } from './model';

const OPTS = { time: 4000, iterations: 5, warmupIterations: 2 };
const CONFIGS: { label: string; config: Partial<PairConfig> }[] = [
  { label: 'defaults (2×64, full batch of 80)', config: {} },
  { label: '2×64, mini-batch 16', config: { batchSize: 16 } },
  { label: '2×16, full batch', config: { hidden: [16, 16] } },
];

const printed = new Set<string>();

describe('dropout pair on wasm, 10 steps + evaluation per iteration', () => {
  for (const { label, config } of CONFIGS) {
    let pair: Pair | null = null;
    bench(label, async () => void (await pair!.step(10)), {
      ...OPTS,
      setup: async () => {
        await tf.setBackend('wasm');
        pair = createPair(config);
        await pair.step(2); // allocate, warm
        if (printed.has(label)) return; // setup runs again for the timed iterations
        printed.add(label);
        const kernels = async (k: number) => (await tf.profile(async () => void (await pair!.step(k)))).kernels.length;
        const evaluation = await kernels(0);
        console.info(`${label}: ${(await kernels(1)) - evaluation} kernels per training step, ${evaluation} per evaluation`);
      },
      teardown: () => pair?.dispose(),
    });
  }
});
