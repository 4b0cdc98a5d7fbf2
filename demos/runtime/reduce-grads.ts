import type * as TF from '@tensorflow/tfjs';

/**
 * tfjs's gradients of Sum and Mean broadcast dy against `ones(x.shape)`: a typed array the size of x, filled in
 * JavaScript and uploaded on every backward pass. Behind a batch norm that is a whole activation per statistic,
 * and it was a sixth of a ResNet training step's main-thread time on wasm. These are the same gradients (the same
 * products, the same numbers) against `onesLike(x)`, which every backend fills in a kernel of its own.
 */
export function registerReduceGradients(tf: typeof TF): void {
  for (const kernelName of ['Sum', 'Mean'] as const) {
    tf.registerGradient({
      kernelName,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved;
        const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
        const expanded = x.shape.slice();
        for (const a of axes) expanded[a] = 1;
        const broadcast = () => tf.mul(tf.reshape(dy as TF.Tensor, expanded), tf.onesLike(x));
        if (kernelName === 'Sum') return { x: broadcast };
        const size = axes.reduce((n, a) => n * x.shape[a], 1);
        return { x: () => tf.div(broadcast(), size) };
      },
    });
  }
}
