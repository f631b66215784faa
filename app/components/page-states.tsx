import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { formatCount } from '~/utils/format';

/** The page's heading, its one-line purpose, and (on paper) when it was printed. */
export function PageHeading({ title, lede, generatedAt }: { title: string; lede: ReactNode; generatedAt: string }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="lede">{lede}</p>
      <p className="print-only">Figures as of {generatedAt}.</p>
    </>
  );
}

/** When the filters leave nobody: said plainly, with the way out. */
export function NoEpisodes({ clearHref }: { clearHref: string }) {
  return (
    <div className="empty-state" role="status">
      <p>
        <strong>No episodes match these filters.</strong>
      </p>
      <p>
        Widen the filters above, or <Link to={clearHref}>clear all filters</Link>.
      </p>
    </div>
  );
}

/** When every group is withheld: the privacy rule, in words, and where it is explained. */
export function AllWithheld({ minCell }: { minCell: number }) {
  return (
    <p className="notice" role="status">
      Every group here has fewer than {minCell} patients in its outcome cohort, so its figures are withheld to protect
      privacy. Widen the filters to see figures. <Link to="/methods#small-cells">Why figures are withheld</Link>
    </p>
  );
}

/** "What is this?" beside a figure: to its definition on the methods page. */
export function MethodsLink({ anchor, children }: { anchor: string; children: ReactNode }) {
  return (
    <Link className="methods-link" to={`/methods#${anchor}`}>
      {children}
    </Link>
  );
}

/** A `page=` past the end of the list: which page is shown instead, so the reader is not left wondering. */
export function PastLastPageNotice({ asked, pages }: { asked: number; pages: number }) {
  const shown = pages === 1 ? 'this list has one page, shown below' : `page ${formatCount(pages)}, the last, is shown`;
  return (
    <p className="notice" role="status">
      There is no page {formatCount(asked)}: {shown}.
    </p>
  );
}
