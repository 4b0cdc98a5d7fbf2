import { describe, expect, it } from 'vitest';
import { meanRows, quality, trainingStatus, whoRestores } from './display';
import type { Scores } from './model';
import type { TrainProgress } from './train';

const run = (over: Partial<TrainProgress> = {}): TrainProgress => ({
  steps: 120, total: 600, srLoss: [0.05], dnLoss: [0.02], lossAt: [20], sr: [{ psnr: 10.5, ssim: 0.2 }, { psnr: 17.256, ssim: 0.7123 }],
  dn: [{ psnr: 14, ssim: 0.3 }, { psnr: 22.5, ssim: 0.8555 }], evalAt: [0, 100], bicubic: { psnr: 15.111, ssim: 0.6 },
  noisy: { psnr: 20.17, ssim: 0.4 }, clipped: { psnr: 21.4, ssim: 0.5 }, srFlat: new Float32Array(0), dnFlat: new Float32Array(0), trainSeconds: 8.04,
  seconds: 9,
  ...over,
});

describe('super-resolution display', () => {
  it('scores a picture as PSNR · SSIM', () => {
    const s: Scores = { psnr: [20.17, 31.96], ssim: [0.404, 0.987], meanPsnr: 26, meanSsim: 0.7 };
    expect(quality(s, 0)).toBe('20.2 dB · 0.40');
    expect(quality(s, 1)).toBe('32.0 dB · 0.99');
  });

  it('reports the run at its last evaluation, its loading, or nothing', () => {
    expect(trainingStatus(run(), false, true)).toBe('step 120 of 600 · ESPCN 17.26 dB (bicubic 15.11) · denoiser 22.50 dB (input 20.17) · 8.0 s of training so far');
    expect(trainingStatus(run({ sr: [], dn: [] }), true, false)).toBe('step 120 of 600 · ESPCN – dB (bicubic 15.11) · denoiser – dB (input 20.17) · 8.0 s of training');
    expect(trainingStatus(null, false, true)).toBe('loading 5,000 training and 1,032 test digits…');
    expect(trainingStatus(null, false, false)).toBeUndefined();
    expect(whoRestores(run())).toBe('after 100 steps');
    expect(whoRestores(null)).toBe('untrained (step 0)');
  });

  it('fills the means table from the last evaluation, dashes before a run', () => {
    const filled = meanRows(run());
    expect(filled.caption).toBe('Mean PSNR / SSIM over the first 100 test digits at step 100');
    expect(filled.rows).toEqual([
      ['bicubic (Keys, a = −0.5)', '15.11 dB / 0.600'],
      ['ESPCN', '17.26 dB / 0.712'],
      ['the noisy input', '20.17 dB / 0.400'],
      ['the noisy input clipped to [0, 1]', '21.40 dB / 0.500'],
      ['DnCNN-style denoiser', '22.50 dB / 0.856'],
    ]);
    const empty = meanRows(null);
    expect(empty.caption).toBe('Mean PSNR / SSIM over the first 100 test digits (train to fill in)');
    expect(empty.rows.every(([, v]) => v === '–')).toBe(true);
  });
});
