export interface TocEntry {
  value: string;
  depth: number;
  id?: string;
  children?: TocEntry[];
}

/** "On this page": the section's headings, from the compiler's extracted table of contents. */
export function Toc({ toc }: { toc: TocEntry[] }) {
  const list = (entries: TocEntry[]) => (
    <ul>
      {entries.map((e) => (
        <li key={e.id ?? e.value}>
          <a href={`#${e.id}`}>{e.value}</a>
          {e.children && e.children.length > 0 && list(e.children)}
        </li>
      ))}
    </ul>
  );
  return (
    <nav className="toc" aria-label="On this page">
      <p className="toc-title">On this page</p>
      {list(toc)}
      <ul>
        <li>
          <a href="#references">References</a>
        </li>
      </ul>
    </nav>
  );
}
