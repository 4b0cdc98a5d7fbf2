/**
 * The weights of a shipped network's fully connected layers as plain arrays, for the compression demos:
 * loaded through loadModel (checked against the manifest), read back once, and the tfjs model freed.
 */
import { tf } from '../tf';
import { loadModel, type LoadModelOptions, type ModelManifest } from '../data/models';

/** One fully connected layer: y = x · kernel + bias, the kernel row-major [inputs, units]. */
export interface DenseWeights {
  name: string;
  inputs: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** The dense layers of a loaded tfjs model, in order, copied out of their tensors. */
export function denseWeights(model: tf.LayersModel): DenseWeights[] {
  return model.layers
    .filter((l) => l.getClassName() === 'Dense')
    .map((l) => {
      const [k, b] = l.getWeights();
      const [inputs, units] = k.shape as [number, number];
      return { name: l.name, inputs, units, kernel: k.dataSync() as Float32Array, bias: b.dataSync() as Float32Array };
    });
}

/**
 * Loads shipped model `name` (see loadModel: in Node pass `fetch: fileFetch(siteRoot)` from
 * scripts/mnist-node.ts) and returns its dense layers' weights; the tfjs model is disposed before returning.
 */
export async function loadDenseWeights(name: string, opts: LoadModelOptions): Promise<{ layers: DenseWeights[]; manifest: ModelManifest }> {
  const { model, manifest } = await loadModel(name, opts);
  try {
    return { layers: denseWeights(model), manifest };
  } finally {
    model.dispose();
  }
}
