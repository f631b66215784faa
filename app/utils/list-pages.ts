/**
 * Pages of a long list (the episode list, the audit trail, a run's rejected rows), numbered from 1
 * in the URL's `page`. Pure, for the loaders and the pages alike.
 */

/** How many pages `total` rows fill at `pageSize` a page: an empty list still has its one, empty, page. */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export interface ListPage<Answer> {
  answer: Answer;
  /** The page shown: the one asked for, or the last when that was past it. */
  page: number;
  pages: number;
  /** The page the URL asked for when it was past the last, for the page to say so; null otherwise. */
  askedPastLast: number | null;
}

/**
 * Page `asked` of a list, loaded by `load` (given the page and its first row's offset; its answer
 * counts the whole list with `totalOf`). A page past the last (a hand-typed `page=`, or a bookmark of a list that has since
 * shrunk) is the last page instead, as Django's Paginator.get_page does, rather than an empty table
 * with no way back but the Previous link: one more query, only then. The caller says so
 * (PastLastPageNotice), and the pager's links count from the page shown.
 */
export async function loadListPage<Answer>({
  asked,
  pageSize,
  load,
  totalOf,
}: {
  asked: number;
  pageSize: number;
  load: (at: { page: number; offset: number }) => Promise<Answer>;
  totalOf: (answer: Answer) => number;
}): Promise<ListPage<Answer>> {
  const at = (page: number) => ({ page, offset: (page - 1) * pageSize });
  const answer = await load(at(asked));
  const pages = pageCount(totalOf(answer), pageSize);
  if (asked <= pages) return { answer, page: asked, pages, askedPastLast: null };
  return { answer: await load(at(pages)), page: pages, pages, askedPastLast: asked };
}
