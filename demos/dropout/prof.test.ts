import { it } from 'vitest';
import { tf } from '../runtime/tf';
import { createPair, createStackedMlp, initLayers, forward, mlpVariables } from './model';
it('prof', async () => {
  await tf.setBackend(process.env.BK ?? 'cpu'); await tf.ready();
  const time = (name: string, f: () => void, n = 50) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) tf.tidy(f);
    console.log('P', name, ((performance.now() - t0) / n).toFixed(3), 'ms');
  };
  const init = initLayers([2, 32, 32, 2], 1);
  const mlp = createStackedMlp([init, init]);
  const x = tf.randomNormal([1, 80, 2]) as tf.Tensor3D;
  const rates = tf.tensor3d([0, 0.5], [2, 1, 1]);
  time('fwd eval', () => { forward(mlp, x, null); });
  time('fwd drop', () => { forward(mlp, x, rates, 3); });
  time('grads', () => { tf.variableGrads(() => forward(mlp, x, rates, 3).sum() as tf.Scalar, mlpVariables(mlp)); });
  const vs = mlpVariables(mlp);
  time('adam-like 12 vars', () => { for (const v of vs) { const g = v; tf.div(tf.div(tf.add(tf.mul(0.9, g), tf.mul(0.1, g)), 0.9), tf.add(tf.sqrt(tf.div(tf.add(tf.mul(0.9, g), tf.mul(0.1, tf.square(g))), 0.9)), 1e-8)); } });
  const p = createPair({ hidden: [32, 32] });
  await p.step(1);
  let t0 = performance.now();
  for (let i = 0; i < 20; i++) await p.step(1);
  console.log('P step(1)', ((performance.now() - t0) / 20).toFixed(2));
  t0 = performance.now();
  await p.step(20);
  console.log('P step(20)/20', ((performance.now() - t0) / 20).toFixed(2));
});
