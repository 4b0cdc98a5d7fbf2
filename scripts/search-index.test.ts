import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without types
import { mathAsText, texToText } from './search-index.mjs';

describe('formulas as search text', () => {
  it('short formulas read as text: Greek letters, sub- and superscripts, fractions', () => {
    expect(texToText('\\theta_t')).toBe('θₜ');
    expect(texToText('\\mu = 0.9')).toBe('μ = 0.9');
    expect(texToText('g_t = \\nabla f(\\theta_{t-1})')).toBe('gₜ = ∇f(θₜ₋₁)');
    expect(texToText('O(1/t^2)')).toBe('O(1/t²)');
    expect(texToText('\\lambda_{\\max}')).toBe('λmax');
    expect(texToText('\\frac{1}{2}\\,x^\\top')).toBe('1/2 xᵀ');
    expect(texToText('\\sqrt\\kappa')).toBe('√κ');
    // Trailing sentence punctuation inside display math is dropped.
    expect(texToText('\\theta_t = \\theta_{t-1} - \\gamma\\, g_t.')).toBe('θₜ = θₜ₋₁ - γ gₜ');
  });

  it('escaped comparison signs stay escaped; long formulas become an ellipsis', () => {
    expect(texToText('t \\gt 1')).toBe('t &gt; 1');
    expect(texToText('a &lt; b')).toBe('a &lt; b');
    expect(texToText('v_t = \\mu\\, v_{t-1} - \\gamma\\,\\nabla f(\\theta_{t-1} + \\mu v_{t-1})')).toBe('…');
  });

  it('puts the text before each KaTeX span, leaving the markup itself alone', () => {
    const katex = (tex: string) =>
      `<span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>x</mi></mrow><annotation encoding="application/x-tex">${tex}</annotation></semantics></math></span><span class="katex-html" aria-hidden="true">x</span></span>`;
    const html = `<p>rate ${katex('\\gamma')} and ${katex('v_t')}.</p>`;
    expect(mathAsText(html)).toBe(`<p>rate <span class="pf-math">γ</span>${katex('\\gamma')} and <span class="pf-math">vₜ</span>${katex('v_t')}.</p>`);
    expect(mathAsText('<p>no math</p>')).toBe('<p>no math</p>');
  });
});
