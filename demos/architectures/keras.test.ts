import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelJsonError, summarizeModelJson } from './keras';

const root = join(__dirname, '..', '..', 'public', 'models');
const read = (name: string, file: string) => readFileSync(join(root, name, file), 'utf8');

const conv = (name: string, filters: number, k: number, extra: Record<string, unknown> = {}) => ({ class_name: 'Conv2D', config: { name, filters, kernel_size: [k, k], strides: [1, 1], padding: 'same', use_bias: false, ...extra } });

describe('summarizeModelJson', () => {
  for (const name of ['cnn', 'cnn-gap', 'mlp']) {
    it(`reads the shipped ${name} model.json: parameters equal its manifest, layer by layer`, () => {
      const manifest = JSON.parse(read(name, 'manifest.json')) as { params: number; layers?: { name: string; params: number }[] };
      const s = summarizeModelJson(read(name, 'model.json'));
      expect(s.problems).toEqual([]);
      expect(s.params).toBe(manifest.params);
      for (const l of manifest.layers ?? []) expect(s.layers.find((q) => q.name === l.name)?.params).toBe(l.params);
    });
  }

  it('counts the shipped cnn by hand: conv 5×5 1→16 on 28×28 (valid) costs 24·24·16·25 multiply-adds', () => {
    const s = summarizeModelJson(read('cnn', 'model.json'));
    const c1 = s.layers.find((l) => l.name === 'conv1')!;
    expect(c1.shape).toEqual([16, 24, 24]);
    expect(c1.params).toBe(16 * 25 + 16);
    expect(c1.macs).toBe(24 * 24 * 16 * 25);
    expect(c1.rf).toEqual([5, 5]);
  });

  it('reads a functional model (Keras 2 inbound_nodes): residual add, concatenation, depthwise, separable, BN', () => {
    const layers = [
      { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 32, 32, 3] }, inbound_nodes: [] },
      { ...conv('c1', 8, 3), inbound_nodes: [[['in', 0, 0, {}]]] },
      { class_name: 'BatchNormalization', config: { name: 'bn' }, inbound_nodes: [[['c1', 0, 0, {}]]] },
      { class_name: 'DepthwiseConv2D', config: { name: 'dw', kernel_size: [3, 3], padding: 'same', use_bias: false, depth_multiplier: 1 }, inbound_nodes: [[['bn', 0, 0, {}]]] },
      { class_name: 'Add', config: { name: 'add' }, inbound_nodes: [[['dw', 0, 0, {}], ['bn', 0, 0, {}]]] },
      { class_name: 'SeparableConv2D', config: { name: 'sep', filters: 16, kernel_size: [3, 3], strides: [2, 2], padding: 'same', use_bias: true }, inbound_nodes: [[['add', 0, 0, {}]]] },
      { ...conv('side', 4, 1, { strides: [2, 2] }), inbound_nodes: [[['add', 0, 0, {}]]] },
      { class_name: 'Concatenate', config: { name: 'cat', axis: -1 }, inbound_nodes: [[['sep', 0, 0, {}], ['side', 0, 0, {}]]] },
      { class_name: 'GlobalAveragePooling2D', config: { name: 'gap' }, inbound_nodes: [[['cat', 0, 0, {}]]] },
      { class_name: 'Dense', config: { name: 'out', units: 10, use_bias: true }, inbound_nodes: [[['gap', 0, 0, {}]]] },
    ];
    const s = summarizeModelJson(JSON.stringify({ modelTopology: { class_name: 'Model', config: { layers } } }));
    expect(s.problems).toEqual([]);
    const p = 27 * 8 + 16 + 9 * 8 + (9 * 8 + 8 * 16 + 16) + 8 * 4 + 20 * 10 + 10;
    expect(s.params).toBe(p);
    expect(s.layers.find((l) => l.name === 'cat')!.shape).toEqual([20, 16, 16]);
    expect(s.layers.find((l) => l.name === 'sep')!.macs).toBe(16 * 16 * 8 * (9 + 16));
    expect(s.output).toEqual([10]);
  });

  it('reads Keras 3 inbound_nodes (keras_history)', () => {
    const ref = (n: string) => ({ class_name: '__keras_tensor__', config: { shape: [], keras_history: [n, 0, 0] } });
    const layers = [
      { class_name: 'InputLayer', config: { name: 'x', batch_shape: [null, 8, 8, 2] }, inbound_nodes: [] },
      { ...conv('a', 4, 3), inbound_nodes: [{ args: [ref('x')], kwargs: {} }] },
      { ...conv('b', 4, 3), inbound_nodes: [{ args: [ref('a')], kwargs: {} }] },
      { class_name: 'Add', config: { name: 'sum' }, inbound_nodes: [{ args: [[ref('a'), ref('b')]], kwargs: {} }] },
    ];
    const s = summarizeModelJson(JSON.stringify({ class_name: 'Functional', config: { layers } }));
    expect(s.problems).toEqual([]);
    expect(s.params).toBe(9 * 2 * 4 + 9 * 4 * 4);
    expect(s.layers.find((l) => l.name === 'sum')!.rf).toEqual([5, 5]);
  });

  it('an unknown layer gets a message naming the layer and its class, and the rest still counts', () => {
    const topo = JSON.parse(read('cnn', 'model.json')) as { modelTopology: { config: { layers: unknown[] } } };
    topo.modelTopology.config.layers.splice(2, 0, { class_name: 'MyFancyLayer', config: { name: 'fancy' } });
    const s = summarizeModelJson(JSON.stringify(topo));
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toMatch(/"fancy" \(MyFancyLayer\)/);
    expect(s.layers.find((l) => l.name === 'fancy')!.op).toBe('unknown');
    expect(s.params).toBe(80202);
  });

  it('bad JSON and JSON that is not a model give clear messages', () => {
    expect(() => summarizeModelJson('{"modelTopology": ')).toThrow(ModelJsonError);
    expect(() => summarizeModelJson('{"modelTopology": ')).toThrow(/not valid JSON/);
    expect(() => summarizeModelJson('[1, 2]')).toThrow(/Expected a JSON object/);
    expect(() => summarizeModelJson('{"weightsManifest": []}')).toThrow(/No model found/);
    expect(() => summarizeModelJson('{"class_name": "Sequential", "config": {"layers": []}}')).toThrow(/no "config.layers"/);
    expect(() => summarizeModelJson(JSON.stringify({ class_name: 'Sequential', config: { layers: [conv('c', 4, 3)] } }))).toThrow(/"c" \(Conv2D\) gives no input shape/);
  });
});
