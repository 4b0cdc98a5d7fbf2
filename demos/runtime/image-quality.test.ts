import { describe, expect, it } from 'vitest';
import { gaussianWindow, mse, psnr, psnrOfMse, ssim } from './image-quality';
import { mulberry32 } from './random';

const noise = (n: number, seed: number) => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rng());
};

describe('PSNR', () => {
  it('is 10·log₁₀(MAX²/MSE): 20 dB at MSE 0.01 on [0, 1], 48.13 dB at MSE 1 on [0, 255]', () => {
    expect(mse([0, 0, 0, 0], [0.1, -0.1, 0.1, -0.1])).toBeCloseTo(0.01, 12);
    expect(psnr([0, 0, 0, 0], [0.1, -0.1, 0.1, -0.1])).toBeCloseTo(20, 10);
    expect(psnrOfMse(1, 255)).toBeCloseTo(48.1308, 4);
    // Halving the error adds 20·log₁₀2 ≈ 6.02 dB.
    expect(psnr([0.05, 0.05], [0, 0]) - psnr([0.1, 0.1], [0, 0])).toBeCloseTo(6.0206, 4);
    expect(psnr([0.3, 0.7], [0.3, 0.7])).toBe(Infinity);
    expect(() => psnr([1, 2], [1])).toThrow(/pixels/);
  });
});

describe('SSIM', () => {
  it('uses a normalised 11-tap Gaussian of σ = 1.5', () => {
    const g = gaussianWindow(11, 1.5);
    expect(g.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(g[5] / g[4]).toBeCloseTo(Math.exp(1 / 4.5), 12);
  });

  it('is 1 for an image against itself and symmetric in its two arguments', () => {
    const x = noise(28 * 28, 1);
    const y = noise(28 * 28, 2);
    expect(ssim(x, x, 28, 28)).toBeCloseTo(1, 12);
    expect(ssim(x, y, 28, 28)).toBeCloseTo(ssim(y, x, 28, 28), 12);
    expect(ssim(x, y, 28, 28)).toBeLessThan(0.1); // independent noise: no shared structure
  });

  it('on two flat images is the luminance term alone, (2ab + C₁)/(a² + b² + C₁), computed by hand', () => {
    const a = new Float32Array(11 * 11).fill(0.5);
    const b = new Float32Array(11 * 11).fill(0.25);
    // C₁ = (0.01·1)² = 1e-4: (0.25 + 1e-4)/(0.25 + 0.0625 + 1e-4) = 0.2501/0.3126
    expect(ssim(a, b, 11, 11)).toBeCloseTo(0.2501 / 0.3126, 6);
  });

  it('is −1 (up to the constants) for an image against its negative about its mean in every window: σₓᵧ = −σₓ²', () => {
    const x = noise(15 * 15, 3);
    const neg = x.map((v) => 1 - v);
    const s = ssim(x, neg, 15, 15);
    expect(s).toBeLessThan(-0.9);
    expect(() => ssim(x, x, 10, 10)).toThrow(/expected/);
    expect(() => ssim(new Float32Array(64), new Float32Array(64), 8, 8)).toThrow(/window/);
  });
});
