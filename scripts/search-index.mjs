// Full-text search index for the static site: run after `next build` (npm's postbuild), it reads the
// exported pages in out/ and writes pagefind's index and its small runtime to out/pagefind/. The
// search dialog (components/Search.tsx) loads it only when a reader opens search.
//
// Only the notes are indexed: section pages mark their <main> with data-pagefind-body (so every other
// page is skipped) and their navigation with data-pagefind-ignore. The selectors below drop what is
// not prose: the live demo frames, heading "#" links, the reference list, and KaTeX's markup. KaTeX
// writes each formula three times (MathML, TeX, visual HTML), and any of them as flat text is noise
// in an excerpt ("m^t=β1mt−11−β1t"); so each formula is indexed once, as short readable text
// ("θₜ", "μ = 0.9") or, when longer, as "…".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';

export const EXCLUDE = ['[data-demo]', 'figure.demo', 'a.anchor', '.references', '.katex'];

const SYMBOLS = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ', varphi: 'φ',
  chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Sigma: 'Σ', Phi: 'Φ', Omega: 'Ω',
  nabla: '∇', partial: '∂', infty: '∞', ell: 'ℓ', cdot: '·', times: '×', odot: '⊙', pm: '±', le: '≤', leq: '≤',
  ge: '≥', geq: '≥', lt: '&lt;', gt: '&gt;', approx: '≈', ne: '≠', neq: '≠', to: '→', in: '∈', sum: 'Σ', sqrt: '√',
  dots: '…', ldots: '…', cdots: '⋯', top: 'ᵀ', min: 'min', max: 'max', log: 'log', exp: 'exp',
};
const SUP = { 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹', '-': '⁻', '+': '⁺', T: 'ᵀ', 'ᵀ': 'ᵀ', n: 'ⁿ', i: 'ⁱ' };
const SUB = { 0: '₀', 1: '₁', 2: '₂', 3: '₃', 4: '₄', 5: '₅', 6: '₆', 7: '₇', 8: '₈', 9: '₉', '-': '₋', '+': '₊', t: 'ₜ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', n: 'ₙ' };

/**
 * A formula's TeX as plain text a reader can take in at a glance ("\theta_t" → "θₜ"), or "…" when the
 * result would be longer than `max` characters. Works on KaTeX's HTML-escaped annotation text and
 * returns text still safe to put back into HTML (it only drops characters or adds escaped or non-ASCII ones).
 */
export function texToText(tex, max = 24) {
  const s = tex
    .replace(/\\(?:text|mathrm|mathbf|mathit|mathbb|mathcal|operatorname|boldsymbol)\s*\{([^{}]*)\}/g, '$1')
    .replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, (_, a, b) => `${a.length > 1 ? `(${a})` : a}/${b.length > 1 ? `(${b})` : b}`)
    // A space after a command only ends its name ("\nabla f" is ∇f); other spaces are the author's.
    .replace(/\\([A-Za-z]+)(?:\s+(?=[A-Za-z(]))?/g, (_, name) => SYMBOLS[name] ?? ' ')
    .replace(/\\[,;:! ]|\\\\/g, ' ')
    .replace(/([\^_])\s*(\{([^{}]*)\}|[^\s{}])/g, (_, op, one, group) => {
      const body = (group ?? one).replace(/\s+/g, '');
      const map = op === '^' ? SUP : SUB;
      const chars = [...body];
      return chars.every((c) => map[c]) ? chars.map((c) => map[c]).join('') : body;
    })
    .replace(/[{}]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.,;]$/, '');
  return s.length <= max ? s : '…';
}

const KATEX = /<span class="katex">(?=<span class="katex-mathml">[\s\S]*?<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>)/g;

/** Put each formula's short text just before its KaTeX markup (which the index skips), for the indexer only. */
export function mathAsText(html) {
  return html.replace(KATEX, (m, tex) => `<span class="pf-math">${texToText(tex)}</span>${m}`);
}

/** The exported pages that ask to be indexed, as paths relative to `site`. */
function indexablePages(site) {
  return fs
    .readdirSync(site, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html') && !f.startsWith('_next') && !f.startsWith('pagefind'))
    .filter((f) => fs.readFileSync(path.join(site, f), 'utf8').includes('data-pagefind-body'));
}

// pagefind also writes its ready-made UIs; the site has its own dialog, so they are not shipped.
const UNUSED = /^pagefind-(ui|component-ui|modular-ui|highlight)\.(js|css)$/;

/** Index `site` (the exported out/ directory) into `site/pagefind`; returns page count and sizes in bytes. */
export async function buildSearchIndex(site = 'out') {
  const { index, errors } = await pagefind.createIndex({ excludeSelectors: EXCLUDE, forceLanguage: 'en' });
  if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
  const pages = indexablePages(site);
  for (const f of pages) {
    const url = '/' + path.dirname(f).split(path.sep).filter((p) => p !== '.').map((p) => `${p}/`).join('');
    const added = await index.addHTMLFile({ url, content: mathAsText(fs.readFileSync(path.join(site, f), 'utf8')) });
    if (added.errors.length) throw new Error(`pagefind ${f}: ${added.errors.join('; ')}`);
  }
  const outputPath = path.join(site, 'pagefind');
  fs.rmSync(outputPath, { recursive: true, force: true });
  const written = await index.writeFiles({ outputPath });
  if (written.errors.length) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();
  for (const f of fs.readdirSync(outputPath)) if (UNUSED.test(f)) fs.rmSync(path.join(outputPath, f));
  // Runtime (pagefind.js, its worker and wasm) is the same for any site; the index grows with the notes.
  const size = { runtime: 0, index: 0, files: 0 };
  for (const f of fs.readdirSync(outputPath, { recursive: true, encoding: 'utf8' })) {
    const st = fs.statSync(path.join(outputPath, f));
    if (!st.isFile()) continue;
    size.files += 1;
    if (/\.pf_(meta|index|fragment|filter)$|pagefind-entry\.json$/.test(f)) size.index += st.size;
    else size.runtime += st.size;
  }
  return { pages: pages.length, ...size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const site = process.argv[2] ?? 'out';
  if (!fs.existsSync(path.join(site, 'index.html'))) {
    console.error(`search-index: ${site}/index.html is missing: run next build first`);
    process.exit(1);
  }
  const { pages, runtime, index, files } = await buildSearchIndex(site);
  if (pages === 0) {
    console.error('search-index: no page has data-pagefind-body; nothing indexed');
    process.exit(1);
  }
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`search-index: ${pages} pages → ${site}/pagefind/ (${files} files: index ${kib(index)}, runtime ${kib(runtime)})`);
}
