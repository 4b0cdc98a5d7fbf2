import { it, expect } from 'vitest';
import { tf } from '../tf';
import { registerWasmGradientKernels, unregisterComposedWasmKernels } from '../wasm-kernels';
it('probe', async () => {
  await tf.setBackend('wasm');
  unregisterComposedWasmKernels(tf);
  registerWasmGradientKernels(tf, { inputGrad: 'native' });
  console.log(tf.getKernel('Conv2DBackpropInput', 'wasm'));
  const dy = tf.ones([1, 4, 4, 2]) as tf.Tensor4D;
  const w = tf.ones([3, 3, 1, 2]) as tf.Tensor4D;
  const r = tf.conv2dTranspose(dy, w, [1, 6, 6, 1], 1, 'valid');
  console.log(r.dataSync());
  expect(1).toBe(1);
});
