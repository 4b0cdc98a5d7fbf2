'use client';
import { useMemo } from 'react';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls } from '../ui/controls/JobControls';
import { useReady, useShownCount } from '../ui/useReady';
import { useJob } from '../ui/useJob';
import { compound, family, type SearchResults } from './model';
import { childCount, type SearchInput } from './search';
import { calcParams, searchParams } from './params';
import { nextPhi, trainedText } from './display';
import { ChildrenTable, CompoundStatus, FamilyTable, ResultFiles, ShownSettings } from './Panels';
import { Scatter } from './Scatter';
import { useShownResults } from './useShownResults';

/**
 * EfficientNet's compound scaling: the calculator (φ → d, w, r and the multiply-add factor; B0…B7 counted by the
 * explorer's core), and a live search in a Web Worker: a grid of α, β, γ on a tiny MNIST CNN at φ = 1, the best
 * scaled to φ = 2, against depth, width or resolution scaled alone to the same multiply-add targets.
 */
export default function EfficientNetView() {
  const { values: c, set: setCalc } = useDemoParams(calcParams);
  const { values: s, set: setSearch } = useDemoParams(searchParams);
  const rows = useMemo(() => family(), []);
  const at = compound(c.phi, { alpha: c.alpha, beta: c.beta, gamma: c.gamma });
  const frames = useShownCount(`${c.phi}|${c.alpha}|${c.beta}|${c.gamma}`);
  useReady(true);

  const job = useJob<SearchInput, SearchResults, SearchResults>(() => new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }));
  const { live, shown, source, importFile, importError } = useShownResults(job);

  return (
    <div className="efficientnet-demo">
      <ParamControls table={calcParams} values={c} onChange={setCalc} />
      <div className="toolbar" data-frames={frames} data-running="0">
        <button type="button" data-action="step" onClick={() => setCalc('phi', nextPhi(c.phi))}>
          φ + 0.5
        </button>
        <CompoundStatus phi={c.phi} at={at} constraint={c.alpha * c.beta ** 2 * c.gamma ** 2} />
      </div>
      <p className="status-line" style={{ margin: '0.6rem 0 0.2rem' }}>
        EfficientNet B0…B7 as torchvision builds them, counted by the <a href="/large-networks/architectures/?arch=efficientnet_b3&resolution=300">architecture explorer</a> at the resolution torchvision
        evaluates each at; top-1 of torchvision’s weights on ImageNet.
      </p>
      <FamilyTable rows={rows} />

      <section aria-label="Grid search and scaling on a tiny CNN" style={{ marginTop: '1rem', paddingTop: '0.8rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.6rem', fontSize: '0.95rem' }}>
          <strong>The search, live.</strong> A tiny MNIST CNN (2 + 2 convolutions, 8 and 16 channels, digits at 16 px) is scaled at φ = 1 by each grid candidate
          (α, β with γ solved from α·β²·γ² = 2), the most accurate is scaled to φ = 2, and depth, width or resolution alone take the same ×2 and ×4 multiply-adds.
          Every child trains with the same seed on the first 2,000 training digits and is scored on the first 500 test digits: {childCount(s.candidates)} trainings.
        </p>
        <ParamControls table={searchParams} values={s} onChange={setSearch} />
        <JobControls
          job={job}
          onStart={() => job.start({ seed: s.seed, steps: s.steps, candidates: s.candidates })}
          startLabel="Run the search"
          label="Children trained"
          status={live ? trainedText(live) : undefined}
        />
        {job.state === 'error' && !job.fatal && <p role="alert">{job.error}</p>}
        <ResultFiles shown={shown} onImport={importFile} error={importError} />
        <ShownSettings source={source} results={shown} />
        <Scatter results={shown} />
        <p className="status-line" style={{ margin: '0.6rem 0 0.2rem' }}>
          Every child of {source}
        </p>
        <ChildrenTable results={shown} />
      </section>
    </div>
  );
}
