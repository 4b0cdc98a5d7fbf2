'use client';
import { useMemo } from 'react';
import { loadRgbImage, type RgbImage as Photo } from '../runtime/data/images';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useComputed } from '../ui/useLatest';
import { useResource } from '../ui/useResource';
import { useReady, useShownCount } from '../ui/useReady';
import { RgbImage } from '../ui/plots/RgbImage';
import { augment, CROP, PAPER_SCALE, rgbPca, type AugmentConfig, type RgbPca } from './model';
import { augmentParams } from './params';
import { formatNumber } from '../ui/plots/scale';

const COUNT = 8;
const SCALES: Record<string, [number, number]> = { '256': [128, 128], '384': [192, 192], jitter: [128, 256] };
const f3 = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

interface Loaded {
  photo: Photo;
  pca: RgbPca;
}
const load = async (signal: AbortSignal): Promise<Loaded> => {
  const photo = await loadRgbImage('mandrill', { signal });
  return { photo, pca: await rgbPca([photo]) };
};

/** VGG's and AlexNet's augmentations on a real photo: crops at a fixed or jittered scale, flips, PCA colour jitter. */
export default function AugmentView() {
  const { values: p, set } = useDemoParams(augmentParams);
  const data = useResource<Loaded>(load, 'mandrill');
  const cfg: AugmentConfig = { scale: SCALES[p.scale] ?? SCALES.jitter, randomCrop: p.crop, flip: p.flip, sigma: p.sigma, count: COUNT, seed: p.seed };
  const loaded = data.value;
  const result = useComputed(async (q: { cfg: AugmentConfig; ready: boolean }) => (loaded ? augment(loaded.photo, loaded.pca, q.cfg) : null), { cfg, ready: loaded !== null });
  useReady(result !== null);
  const drawn = useShownCount(result);
  const pca = loaded?.pca;
  const photo = loaded?.photo;
  const photoValues = useMemo(() => (photo ? Float32Array.from(photo.pixels, (v) => v / 255) : null), [photo]);

  return (
    <div className="augment-demo">
      <ParamControls table={augmentParams} values={p} onChange={set} />
      <div className="toolbar" data-frames={drawn} data-running="0">
        <button type="button" data-action="step" onClick={() => set('seed', p.seed >= augmentParams.seed.max ? 1 : p.seed + 1)}>
          New draw
        </button>
        <span className="status-line">{loaded ? `seed ${p.seed}: ${COUNT} samples of ${CROP * PAPER_SCALE}×${CROP * PAPER_SCALE} in the papers' units (computed at half that size)` : 'Loading the photo…'}</span>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <div>
          {photo && photoValues && <RgbImage values={photoValues} width={photo.width} height={photo.height} size={192} label="The Mandrill test photo, unaugmented" caption={`the photo, ${photo.width * PAPER_SCALE}×${photo.height * PAPER_SCALE} in the papers' units`} />}
        </div>
        <div>
          <table className="stats" aria-label="Principal components of the photo's RGB values">
            <thead>
              <tr>
                <th scope="col">k</th>
                <th scope="col">λₖ</th>
                <th scope="col">pₖ (R, G, B)</th>
              </tr>
            </thead>
            <tbody>
              {[0, 1, 2].map((k) => (
                <tr key={k}>
                  <td>{k + 1}</td>
                  <td>{pca ? pca.values[k].toExponential(2) : '…'}</td>
                  <td>{pca ? `(${pca.vectors[k].map(f3).join(', ')})` : '…'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="plot-caption">
            Eigenvalues and unit eigenvectors of the 3×3 covariance of the photo’s RGB values (in [0, 1], over its {photo ? formatNumber(photo.width * photo.height) : '…'} pixels).
            {pca ? ` The first component holds ${((100 * pca.values[0]) / (pca.values[0] + pca.values[1] + pca.values[2])).toFixed(1)} % of the variance.` : ''}
          </p>
        </div>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(7.5rem, 1fr))', gap: '0.6rem', marginTop: '0.8rem' }} aria-live="polite">
        {result?.info.map((s, i) => (
          <RgbImage
            key={i}
            values={result.samples}
            offset={i * CROP * CROP * 3}
            width={CROP}
            height={CROP}
            size={CROP}
            label={`Sample ${i + 1}: S = ${s.side * PAPER_SCALE}, crop at (${s.x * PAPER_SCALE}, ${s.y * PAPER_SCALE})${s.flipped ? ', flipped' : ''}, colour shift ${s.shift.map(signed).join(' ')}`}
            caption={`S = ${s.side * PAPER_SCALE}${s.flipped ? ' · flipped' : ''} · ΔRGB ${s.shift.map((v) => signed(v)).join(' ')}`}
          />
        ))}
      </div>
    </div>
  );
}
