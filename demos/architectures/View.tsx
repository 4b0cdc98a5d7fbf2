'use client';
import { useState } from 'react';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useReady, useShownCount } from '../ui/useReady';
import { ARCHITECTURES, publishedAt, type ArchName } from './model';
import { widthFor } from './display';
import { Graph } from './Graph';
import { LayerTable, PasteModel, Totals } from './Panels';
import { archParams } from './params';
import { useShownSummary } from './useShownSummary';

/** The architecture explorer: a named architecture (or the reader's own model.json) as a graph and a per-layer table. */
export default function ArchitecturesView() {
  const { values: p, set } = useDemoParams(archParams);
  const arch = p.arch as ArchName;
  const { width, widths, note: widthNote } = widthFor(arch, p.width);
  const { shown, custom, read, back } = useShownSummary(arch, p.resolution, width);
  const [openAll, setOpenAll] = useState<boolean | null>(null);
  const s = shown.summary;

  // Results drawn so far (the browser tests step by it): one per summary shown.
  const drawn = useShownCount(shown);
  useReady(drawn > 0);

  const next = () => {
    back();
    set('arch', ARCHITECTURES[(ARCHITECTURES.indexOf(arch) + 1) % ARCHITECTURES.length]);
  };

  return (
    <div className="arch-demo">
      <ParamControls table={archParams} values={p} onChange={set} only={widths ? ['arch', 'resolution', 'width'] : ['arch', 'resolution']} />
      <div className="toolbar" data-frames={drawn} data-running="0">
        <button type="button" data-action="step" onClick={next}>
          Next architecture
        </button>
        <button type="button" onClick={() => setOpenAll(true)}>
          Expand all
        </button>
        <button type="button" onClick={() => setOpenAll(false)}>
          Collapse all
        </button>
        {widthNote && <span className="status-line">{widthNote}</span>}
      </div>

      <PasteModel onRead={read} back={custom ? { arch, onClick: back } : null} />

      {shown.error && (
        <p className="demo-error" role="alert">
          {custom ? 'Your model.json: ' : ''}
          {shown.error}
        </p>
      )}
      {s && (
        <>
          <Totals s={s} named={custom ? null : { resolution: p.resolution, width, pub: publishedAt(arch, width) }} />
          <p className="demo-sub">The graph: stages, blocks, branches side by side</p>
          <Graph s={s} openAll={openAll} />
          <p className="demo-sub">Every layer</p>
          <LayerTable s={s} />
        </>
      )}
    </div>
  );
}
