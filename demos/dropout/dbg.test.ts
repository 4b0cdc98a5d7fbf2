import { it } from 'vitest';
import { tf } from '../runtime/tf';
import { createPair } from './model';
it('dbg', async () => {
  await tf.setBackend(process.env.BK ?? 'cpu'); await tf.ready();
  const cfgs = JSON.parse(process.env.CFG ?? '[{}]');
  for (const c of cfgs) {
    const lines: string[] = [];
    let wins = 0;
    for (let seed = 1; seed <= Number(process.env.SEEDS ?? 6); seed++) {
      const before = tf.memory().numTensors;
      const p = createPair({ ...c, seed });
      const t0 = performance.now();
      let f = await p.step(0);
      const hist: string[] = [];
      for (let i = 0; i < Number(process.env.STEPS ?? 300) / 50; i++) {
        f = await p.step(50);
        hist.push(`${f.plain.testLoss.toFixed(2)}/${f.dropout.testLoss.toFixed(2)}`);
      }
      const ms = (performance.now() - t0) / Number(process.env.STEPS ?? 300);
      p.dispose();
      const ok = f.plain.trainLoss < f.dropout.trainLoss && f.plain.testLoss > f.dropout.testLoss;
      if (ok) wins++;
      lines.push(`s${seed} ${ok ? 'OK' : '--'} train ${f.plain.trainLoss.toFixed(3)}/${f.dropout.trainLoss.toFixed(3)} test ${f.plain.testLoss.toFixed(3)}/${f.dropout.testLoss.toFixed(3)} acc ${f.plain.testAcc.toFixed(3)}/${f.dropout.testAcc.toFixed(3)} obj ${f.dropout.objective.toFixed(3)} ${ms.toFixed(2)}ms leak ${tf.memory().numTensors - before} | ${hist.join(' ')}`);
    }
    console.log('CFG', JSON.stringify(c), 'wins', wins, '\n' + lines.join('\n'));
  }
});
