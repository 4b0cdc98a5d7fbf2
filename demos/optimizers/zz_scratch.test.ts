import { test } from 'vitest';
import { tf } from '../runtime/tf';
import { Race, OPTIMIZER_NAMES } from './model';
test('scratch', async () => {
  await tf.setBackend('cpu');
  const race = new Race('rosenbrock', OPTIMIZER_NAMES.map((optimizer) => ({ optimizer })));
  await race.step(5);
  const info = await tf.profile(async () => { await race.step(1); });
  const counts: Record<string, number> = {};
  for (const k of info.kernels) counts[k.name] = (counts[k.name] ?? 0) + 1;
  console.log(info.kernels.length, JSON.stringify(counts));
  race.dispose();
});
