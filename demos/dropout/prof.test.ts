import { it } from 'vitest';
import { tf } from '../runtime/tf';
import { createPair } from './model';
it('prof', async () => {
  await tf.setBackend(process.env.BK ?? 'cpu'); await tf.ready();
  for (const hidden of [[32, 32], [64, 64]]) {
    const p = createPair({ hidden });
    await p.step(1);
    let t0 = performance.now();
    for (let i = 0; i < 10; i++) await p.step(1);
    const a = (performance.now() - t0) / 10;
    t0 = performance.now();
    await p.step(50);
    console.log('P', hidden, 'step(1)+eval', a.toFixed(2), 'per step in step(50)', ((performance.now() - t0) / 50).toFixed(2));
    p.dispose();
  }
});
