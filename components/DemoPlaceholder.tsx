import { demos, isDemoId, type DemoEntry } from '@/demos/registry';

export interface DemoProps {
  id: string;
  prefix?: string;
}

/**
 * A demo as the static notes carry it: an island (`data-island="demo"` with the frame's props) holding
 * the frame as it looks before it loads, the same markup <Demo> renders while waiting, so nothing moves
 * when components/Islands.tsx mounts the live frame into it. The site script starts React when an
 * island nears the viewport.
 */
export function DemoPlaceholder({ id, prefix = '' }: DemoProps) {
  if (!isDemoId(id)) throw new Error(`<Demo id="${id}">: no demo with that id in demos/registry.ts`);
  const entry: DemoEntry = demos[id];
  return (
    <div className="demo-island" data-island="demo" data-id={id} data-prefix={prefix || undefined}>
      <figure id={`demo-${id}`} className="demo" data-demo={id} data-state="waiting" aria-label={`Live demo: ${entry.title}`}>
        <figcaption className="demo-head">
          <span className="demo-title">{entry.title}</span>
          <span className="demo-tools">
            <button type="button" className="link-button" data-action="copy-link" data-static="">
              Copy link to this state
            </button>
          </span>
        </figcaption>
        <div className="demo-body" style={entry.minHeight ? { minHeight: entry.minHeight } : undefined}>
          <p className="demo-placeholder">The live demo loads as you scroll to it.</p>
        </div>
      </figure>
    </div>
  );
}
