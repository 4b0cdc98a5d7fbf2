import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { PaperDetails } from './PaperDetails';

const polyak = {
  id: 'polyak1964',
  authors: 'Boris T. Polyak',
  title: 'Some methods of speeding up the convergence of iteration methods',
  year: 1964,
  venue: 'USSR Computational Mathematics and Mathematical Physics 4(5)',
  doi: '10.1016/0041-5553(64)90137-5',
};

describe('PaperDetails', () => {
  it('renders the venue, then the DOI as a doi.org link', () => {
    const html = renderToStaticMarkup(<PaperDetails paper={polyak} />);
    expect(html).toBe(
      ' USSR Computational Mathematics and Mathematical Physics 4(5).' +
        ' <a class="doi" href="https://doi.org/10.1016/0041-5553(64)90137-5">doi:10.1016/0041-5553(64)90137-5</a>.',
    );
  });

  it('links the arXiv id, and shows nothing it does not have', () => {
    const html = renderToStaticMarkup(<PaperDetails paper={{ id: 'k', authors: 'A B', title: 'T', year: 2015, arxiv: '1412.6980' }} />);
    expect(html).toBe(' <a href="https://arxiv.org/abs/1412.6980">arXiv:1412.6980</a>.');
  });
});
