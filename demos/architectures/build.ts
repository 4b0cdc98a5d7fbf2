/**
 * Builds a real `tf.LayersModel` from an architecture description (a Summary's layers), so a test can check that
 * the description counts exactly the trainable parameters tfjs allocates. For small variants only (a CIFAR-size
 * ResNet, MobileNet ×0.25): grouped convolutions other than depthwise, ceil-mode pooling and channel split/shuffle
 * have no tfjs layer and are refused with a message naming the layer. The caller disposes the model.
 */
import { tf } from '../runtime/tf';
import type { Layer, Summary } from '../runtime/arch/graph';

type SymT = tf.SymbolicTensor;

function padLayer(pad: unknown, name: string): tf.layers.Layer | null {
  if (pad === 0 || pad === 'valid' || pad === undefined) return null;
  if (typeof pad === 'number') return tf.layers.zeroPadding2d({ padding: [[pad, pad], [pad, pad]], name: `${name}_pad` });
  throw new Error(`${name}: padding ${JSON.stringify(pad)} is not built here`);
}

function convLayer(l: Layer, cin: number): tf.layers.Layer {
  const a = l.attrs as { kernel: [number, number]; stride: [number, number]; dilation: [number, number]; groups: number; bias: boolean; filters: number };
  if (a.dilation[0] !== 1 || a.dilation[1] !== 1) throw new Error(`${l.name}: dilation is not built here`);
  const common = { kernelSize: a.kernel, strides: a.stride, padding: 'valid' as const, useBias: a.bias, name: l.name };
  if (a.groups === 1) return tf.layers.conv2d({ ...common, filters: a.filters });
  if (a.groups === cin && a.filters % cin === 0) return tf.layers.depthwiseConv2d({ ...common, depthMultiplier: a.filters / cin });
  throw new Error(`${l.name}: a convolution with ${a.groups} groups has no tfjs layer`);
}

/** The description as a tfjs functional model (channels last). Throws for a layer it cannot build. */
export function toLayersModel(summary: Summary): tf.LayersModel {
  const out = new Map<number, SymT>();
  let input: SymT | null = null;
  for (const l of summary.layers) {
    const x = l.inputs.map((i) => {
      const t = out.get(i);
      if (!t) throw new Error(`${l.name}: input ${i} was not built`);
      return t;
    });
    const apply = (layer: tf.layers.Layer, t: SymT | SymT[]) => layer.apply(t) as SymT;
    let y: SymT;
    switch (l.op) {
      case 'input': {
        const [c, h, w] = l.shape;
        input = tf.input({ shape: [h, w, c], name: l.name });
        y = input;
        break;
      }
      case 'conv': {
        const pad = padLayer((l.attrs as { pad: unknown }).pad, l.name);
        const t = pad ? apply(pad, x[0]) : x[0];
        y = apply(convLayer(l, summary.layers[l.inputs[0]].shape[0]), t);
        break;
      }
      case 'bn':
        y = apply(tf.layers.batchNormalization({ axis: -1, name: l.name }), x[0]);
        break;
      case 'act': {
        const fn = (l.attrs as { fn: string }).fn;
        if (fn === 'relu6') y = apply(tf.layers.reLU({ maxValue: 6, name: l.name }), x[0]);
        else y = apply(tf.layers.activation({ activation: fn as 'relu', name: l.name }), x[0]);
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        const a = l.attrs as { kernel: [number, number]; stride: [number, number]; pad: unknown; ceil: boolean };
        if (a.ceil) throw new Error(`${l.name}: ceil-mode pooling has no tfjs layer`);
        const pad = padLayer(a.pad, l.name);
        const t = pad ? apply(pad, x[0]) : x[0];
        const cfg = { poolSize: a.kernel, strides: a.stride, padding: 'valid' as const, name: l.name };
        y = apply(l.op === 'maxpool' ? tf.layers.maxPooling2d(cfg) : tf.layers.averagePooling2d(cfg), t);
        break;
      }
      case 'adaptivepool':
        if ((l.attrs as { out: number }).out !== 1) throw new Error(`${l.name}: only global pooling is built here`);
        y = apply(tf.layers.reshape({ targetShape: [1, 1, l.shape[0]], name: `${l.name}_keep` }), apply(tf.layers.globalAveragePooling2d({ name: l.name }), x[0]));
        break;
      case 'flatten':
        y = apply(tf.layers.flatten({ name: l.name }), x[0]);
        break;
      case 'linear': {
        const a = l.attrs as { units: number; bias: boolean };
        y = apply(tf.layers.dense({ units: a.units, useBias: a.bias, name: l.name }), x[0]);
        break;
      }
      case 'dropout':
        y = apply(tf.layers.dropout({ rate: 0.5, name: l.name }), x[0]);
        break;
      case 'identity':
        y = x[0];
        break;
      case 'add':
        y = apply(tf.layers.add({ name: l.name }), x);
        break;
      case 'concat':
        y = apply(tf.layers.concatenate({ axis: -1, name: l.name }), x);
        break;
      default:
        throw new Error(`${l.name}: a ${l.op} layer is not built here`);
    }
    out.set(l.index, y);
  }
  if (!input) throw new Error('the description has no input layer');
  return tf.model({ inputs: input, outputs: out.get(summary.layers.length - 1)! });
}

/** Trainable parameters of a tfjs model, as tfjs allocated them. */
export function trainableCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((a, w) => a + w.shape.reduce((p: number, d) => p * (d ?? 1), 1), 0);
}
