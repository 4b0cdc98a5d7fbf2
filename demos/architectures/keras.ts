/**
 * Reads a tfjs / Keras `model.json` (or its bare `modelTopology`) and describes it as a graph, counted with
 * the same conventions as the named architectures. Sequential models and functional ones (`config.layers`
 * with `inbound_nodes`, in Keras 2's list form or Keras 3's `keras_history` form) are read. A layer that
 * cannot be read (an unknown class, a shape it cannot take) becomes a row with a problem naming the layer and
 * its class: its output is taken to be its input, and the rest of the table still counts.
 * Keras counts: BatchNormalization's γ and β are trainable, its moving mean and variance are not.
 */
import { GraphBuilder, type Summary } from '../runtime/arch/graph';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface KerasLayer {
  name: string;
  className: string;
  config: Json;
  inbound: string[];
}

/** Thrown for input that is not a model at all (bad JSON, no layers): the message says what is wrong. */
export class ModelJsonError extends Error {}

const pairOf = (v: unknown, fallback: number): [number, number] => {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && typeof v[0] === 'number') return [v[0], (v[1] as number) ?? v[0]];
  return [fallback, fallback];
};

/** Names of the layers feeding a layer's first call, in either Keras 2's or Keras 3's form. */
function inboundNames(nodes: unknown): string[] {
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  const first = nodes[0];
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      if (typeof v[0] === 'string' && typeof v[1] === 'number') names.push(v[0]);
      else v.forEach(walk);
    } else if (isObj(v)) {
      if (isObj(v.config) && Array.isArray((v.config as Json).keras_history)) names.push(((v.config as Json).keras_history as unknown[])[0] as string);
      else if (Array.isArray(v.keras_history)) names.push(v.keras_history[0] as string);
      else if ('args' in v) walk(v.args);
    }
  };
  walk(first);
  return names;
}

function readLayers(text: string): { layers: KerasLayer[]; sequential: boolean } {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw new ModelJsonError(`This is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(root)) throw new ModelJsonError('Expected a JSON object: a model.json with "modelTopology", or the topology itself.');
  let topo: unknown = root.modelTopology ?? root;
  if (isObj(topo) && isObj(topo.model_config)) topo = topo.model_config;
  if (!isObj(topo) || typeof topo.class_name !== 'string') throw new ModelJsonError('No model found: expected "modelTopology" with a "class_name" (Sequential, Model or Functional) and a "config".');
  const cfg = topo.config;
  const raw = Array.isArray(cfg) ? cfg : isObj(cfg) && Array.isArray(cfg.layers) ? cfg.layers : null;
  if (!raw || raw.length === 0) throw new ModelJsonError(`The ${topo.class_name} model has no "config.layers" to read.`);
  const sequential = topo.class_name === 'Sequential';
  const layers: KerasLayer[] = raw.map((l, i) => {
    const o = isObj(l) ? l : {};
    const config = isObj(o.config) ? o.config : {};
    const name = String(config.name ?? o.name ?? `layer_${i}`);
    return { name, className: String(o.class_name ?? 'unknown'), config, inbound: sequential ? [] : inboundNames(o.inbound_nodes) };
  });
  return { layers, sequential };
}

function inputShapeOf(c: Json): number[] | null {
  for (const key of ['batch_input_shape', 'batchInputShape', 'batch_shape']) {
    const v = c[key];
    if (Array.isArray(v)) return v.slice(1).map(Number);
  }
  for (const key of ['input_shape', 'inputShape']) {
    const v = c[key];
    if (Array.isArray(v)) return v.map(Number);
  }
  return null;
}

/** Keras' channels-last shape (no batch) → the graph's [C, H, W] (or [N]). */
function toGraphShape(s: number[], channelsFirst: boolean): number[] {
  if (s.some((d) => !Number.isFinite(d) || d < 1)) throw new ModelJsonError(`The input shape [${s.join(', ')}] has unknown or empty sizes: give fixed sizes to count.`);
  if (s.length === 3) return channelsFirst ? s : [s[2], s[0], s[1]];
  if (s.length === 1) return s;
  if (s.length === 2) return [1, s[0], s[1]];
  throw new ModelJsonError(`Input shapes of rank ${s.length} are not read (expected [H, W, C] or [N]).`);
}

/** Adds one Keras layer to the graph; throws (caught by the caller) when it cannot. */
function addLayer(b: GraphBuilder, l: KerasLayer, xs: number[]): number {
  const c = l.config;
  const x = xs[0];
  const pad = c.padding === 'same' ? 'same' : 'valid';
  const bias = c.use_bias !== false;
  const fold = (i: number) => {
    const a = c.activation;
    if (typeof a === 'string' && a !== 'linear') b.layers[i].detail += `, ${a}`;
    return i;
  };
  const opts = { name: l.name, stride: pairOf(c.strides, 1), dilation: pairOf(c.dilation_rate, 1), pad: pad as 'same' | 'valid', bias };
  switch (l.className) {
    case 'Conv2D':
      return fold(b.conv(x, Number(c.filters), pairOf(c.kernel_size, 1), { ...opts, groups: Number(c.groups ?? 1) }));
    case 'DepthwiseConv2D': {
      const cin = b.channels(x);
      return fold(b.conv(x, cin * Number(c.depth_multiplier ?? 1), pairOf(c.kernel_size, 1), { ...opts, groups: cin }));
    }
    case 'SeparableConv2D':
      return fold(b.sepconv(x, Number(c.filters), pairOf(c.kernel_size, 1), { ...opts, multiplier: Number(c.depth_multiplier ?? 1) }));
    case 'Dense': {
      const s = b.shape(x);
      const units = Number(c.units);
      // Keras applies Dense to the last axis: on a feature map that is a 1×1 convolution.
      return fold(s.length === 3 ? b.conv(x, units, 1, { name: l.name, bias }) : b.linear(x, units, { name: l.name, bias }));
    }
    case 'BatchNormalization': {
      const ch = b.shape(x)[0];
      const n = (c.scale !== false ? ch : 0) + (c.center !== false ? ch : 0);
      return b.add('bn', [x], b.shape(x), { name: l.name, detail: 'batch norm', params: n });
    }
    case 'Activation':
      return b.act(x, String(c.activation ?? 'linear'), l.name);
    case 'ReLU':
    case 'LeakyReLU':
    case 'ELU':
    case 'Softmax':
    case 'ThresholdedReLU':
      return b.act(x, l.className.toLowerCase(), l.name);
    case 'PReLU': {
      const s = b.shape(x);
      const shared = Array.isArray(c.shared_axes) ? (c.shared_axes as number[]) : [];
      // Keras axes are channels-last (1 = H, 2 = W, 3 = C); alpha has one value per non-shared position.
      const keras = s.length === 3 ? [s[1], s[2], s[0]] : s;
      const n = keras.reduce((a, d, i) => a * (shared.includes(i + 1) ? 1 : d), 1);
      return b.add('act', [x], s, { name: l.name, detail: 'prelu', params: n });
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const k = pairOf(c.pool_size, 2);
      return b.pool(x, l.className === 'MaxPooling2D' ? 'max' : 'avg', k, { stride: c.strides == null ? k : pairOf(c.strides, 1), pad, name: l.name });
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      const s = b.shape(x);
      if (s.length !== 3) throw new Error(`needs a feature map, got [${s.join(', ')}]`);
      const keep = c.keepdims === true;
      return b.add('adaptivepool', [x], keep ? [s[0], 1, 1] : [s[0]], { name: l.name, detail: l.className === 'GlobalMaxPooling2D' ? 'global max' : 'global average', kernel: [s[1], s[2]], stride: [s[1], s[2]] });
    }
    case 'Flatten':
      return b.flatten(x, l.name);
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'GaussianNoise':
    case 'GaussianDropout':
      return b.dropout(x, Number(c.rate ?? c.stddev ?? 0), l.name);
    case 'Add':
    case 'Average':
    case 'Maximum':
    case 'Minimum':
    case 'Subtract':
    case 'Multiply': {
      const i = b.sum(xs, l.name);
      b.layers[i].detail = `${l.className.toLowerCase()} ${xs.length}`;
      return i;
    }
    case 'Concatenate': {
      const rank = b.shape(x).length;
      const axis = Number(c.axis ?? -1);
      if (!(axis === -1 || axis === rank)) throw new Error(`concatenation along axis ${axis} is not counted (only the channel axis)`);
      return b.concat(xs, l.name);
    }
    case 'ZeroPadding2D': {
      const [ch, h, w] = b.shape(x);
      const p = c.padding;
      let t = 1, bo = 1, le = 1, r = 1;
      if (typeof p === 'number') [t, bo, le, r] = [p, p, p, p];
      else if (Array.isArray(p) && typeof p[0] === 'number') [t, bo, le, r] = [p[0], p[0], p[1] as number, p[1] as number];
      else if (Array.isArray(p) && Array.isArray(p[0])) [t, bo, le, r] = [p[0][0], p[0][1], (p[1] as number[])[0], (p[1] as number[])[1]];
      return b.add('pad', [x], [ch, h + t + bo, w + le + r], { name: l.name, detail: `pad ${t},${bo},${le},${r}` });
    }
    case 'UpSampling2D': {
      const [ch, h, w] = b.shape(x);
      const [sh, sw] = pairOf(c.size, 2);
      return b.add('reshape', [x], [ch, h * sh, w * sw], { name: l.name, detail: `upsample ×${sh}` });
    }
    case 'Reshape': {
      const t = (c.target_shape ?? c.targetShape) as number[];
      if (!Array.isArray(t)) throw new Error('has no target_shape');
      const n = b.shape(x).reduce((a, d) => a * d, 1);
      const known = t.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
      const full = t.map((d) => (d === -1 ? n / known : d));
      const shape = toGraphShape(full, false);
      if (shape.reduce((a, d) => a * d, 1) !== n) throw new Error(`cannot reshape ${n} values to [${t.join(', ')}]`);
      return b.add('reshape', [x], shape, { name: l.name, detail: `reshape [${t.join(', ')}]` });
    }
    default:
      throw new Error('its class is not one the explorer reads');
  }
}

/**
 * The table of a pasted tfjs / Keras model.json: parameters, multiply-adds, activation memory and receptive
 * fields per layer, with totals. Throws ModelJsonError for input that is not a model; a layer it cannot
 * read is kept as a row with a problem (also listed in `problems`), the others are counted.
 */
export function summarizeModelJson(text: string): Summary {
  const { layers, sequential } = readLayers(text);
  const channelsFirst = layers.some((l) => l.config.data_format === 'channels_first');
  const b = new GraphBuilder('your model');
  const index = new Map<string, number>();
  let last = -1;

  const start = layers[0].className === 'InputLayer' ? layers[0] : null;
  const shape0 = inputShapeOf(layers[0].config);
  if (!shape0) throw new ModelJsonError(`The first layer "${layers[0].name}" (${layers[0].className}) gives no input shape (batch_input_shape): the sizes cannot be counted without it.`);
  const s = toGraphShape(shape0, channelsFirst);
  last = s.length === 3 ? b.input(s[0], s[1], s[2], start?.name ?? 'input') : b.add('input', [], s, { name: start?.name ?? 'input', detail: `${s[0]}` });
  if (start) index.set(start.name, last);

  const pending = layers.filter((l) => l !== start);
  // Functional graphs: process a layer once all its inputs exist (config order is usually already topological).
  let guard = pending.length + 1;
  while (pending.length && guard-- > 0) {
    for (let i = 0; i < pending.length; i++) {
      const l = pending[i];
      if (l.className === 'InputLayer') {
        const sh = inputShapeOf(l.config);
        const g = sh ? toGraphShape(sh, channelsFirst) : null;
        if (!g) throw new ModelJsonError(`The input layer "${l.name}" gives no shape.`);
        index.set(l.name, g.length === 3 ? b.input(g[0], g[1], g[2], l.name) : b.add('input', [], g, { name: l.name }));
        pending.splice(i--, 1);
        continue;
      }
      const ins = sequential ? [last] : l.inbound.map((n) => index.get(n));
      if (ins.some((v) => v === undefined)) continue;
      const xs = ins as number[];
      let at: number;
      try {
        if (!xs.length) throw new Error('has no inbound layer');
        at = addLayer(b, l, xs);
      } catch (e) {
        const problem = `Layer "${l.name}" (${l.className}) ${(e as Error).message}; it is shown with its input's shape and no parameters.`;
        at = b.add('unknown', xs.length ? [xs[0]] : [], xs.length ? b.shape(xs[0]) : [1], { name: l.name, detail: l.className, problem });
      }
      index.set(l.name, at);
      last = at;
      pending.splice(i--, 1);
    }
  }
  if (pending.length) throw new ModelJsonError(`These layers' inputs were never produced: ${pending.map((l) => `"${l.name}"`).join(', ')}.`);
  return b.summary(s.length === 3 ? s[1] : s[0]);
}
