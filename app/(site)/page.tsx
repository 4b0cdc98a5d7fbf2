import { getOutline, outlineMeta } from '@/lib/content';
import { Sidebar } from '@/components/Sidebar';

export default function Home() {
  const outline = getOutline();
  return (
    <div className="layout">
      <Sidebar outline={outline} />
      <main id="main" className="home">
        <h1>Applied Deep Learning, live</h1>
        <p className="lede">
          Lecture notes for an applied deep learning course. Every section has a small live demo that trains or
          runs a real network in your browser with TensorFlow.js: turn the knobs and watch it learn. Based on the
          course outline of <a href={outlineMeta.overview}>Applied Deep Learning</a> (
          <a href={outlineMeta.playlist}>video lectures</a>).
        </p>
        {outline.map((part) => (
          <section key={part.slug} className="home-part" aria-labelledby={`part-${part.slug}`}>
            <h2 id={`part-${part.slug}`}>{part.title}</h2>
            <ul className="cards">
              {part.sections.map((s) => (
                <li key={s.slug} className={s.written ? 'card' : 'card coming'}>
                  {s.written ? (
                    <>
                      <a href={s.href}>{s.title}</a>
                      <p>{s.summary}</p>
                    </>
                  ) : (
                    <>
                      <span>{s.title}</span>
                      <p>Coming.</p>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </main>
    </div>
  );
}
