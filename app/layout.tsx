import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import 'katex/dist/katex.min.css';
// Chart's stylesheet (demos/ui/plots/Chart.tsx), here so that every page has it in its one stylesheet: the
// island client (components/island-entry.tsx) bundles no CSS, and a chart's own import split the site's CSS in three.
import 'uplot/dist/uPlot.min.css';
import './globals.css';
import './search.css';
import './references.css';
import './print.css';
import { SITE_SCRIPT } from '@/components/site-script';

export const metadata: Metadata = {
  title: { default: 'Applied Deep Learning, live', template: '%s · Applied Deep Learning, live' },
  description: 'Lecture notes for an applied deep learning course, each section with a live TensorFlow.js demo.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: SITE_SCRIPT }} />
      </head>
      <body>
        {children}
      </body>
    </html>
  );
}
