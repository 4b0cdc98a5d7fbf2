import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import 'katex/dist/katex.min.css';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Applied Deep Learning, live', template: '%s · Applied Deep Learning, live' },
  description: 'Lecture notes for an applied deep learning course, each section with a live TensorFlow.js demo.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="site-title">
            Applied Deep Learning, <em>live</em>
          </Link>
        </header>
        {children}
      </body>
    </html>
  );
}
