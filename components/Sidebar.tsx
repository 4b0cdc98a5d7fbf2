import type { PartRef } from '@/lib/content';

/** The course's navigation: every part and section, the current one marked, unwritten ones as "coming". */
export function Sidebar({ outline, current }: { outline: PartRef[]; current?: string }) {
  return (
    <nav className="sidebar" aria-label="Course">
      {outline.map((part) => (
        <div key={part.slug} className="sidebar-part">
          <p className="sidebar-part-title">{part.title}</p>
          <ul>
            {part.sections.map((s) => (
              <li key={s.slug}>
                {s.written ? (
                  <a href={s.href} aria-current={current === s.href ? 'page' : undefined}>
                    {s.title}
                  </a>
                ) : (
                  <span className="coming">
                    {s.title} <small>coming</small>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <p className="sidebar-extra">
        <a href="/references/" aria-current={current === '/references/' ? 'page' : undefined}>
          All references
        </a>
      </p>
    </nav>
  );
}
