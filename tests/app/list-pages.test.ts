import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { PastLastPageNotice } from '../../app/components/page-states';
import { loadListPage, pageCount } from '../../app/utils/list-pages';

/**
 * A list of 4,001 rows at 2,000 a page, worked by hand: pages 1 and 2 are full, page 3 holds the
 * 4,001st row alone, and page 9 would start at row 16,001, past the end.
 */
const ROWS = Array.from({ length: 4_001 }, (_, index) => index + 1);

function listOf(rows: readonly number[]) {
  const asked: Array<{ page: number; offset: number }> = [];
  const load = async (at: { page: number; offset: number }) => {
    asked.push(at);
    return { total: rows.length, rows: rows.slice(at.offset, at.offset + 2_000) };
  };
  return { asked, load, totalOf: (answer: { total: number }) => answer.total };
}

describe('pages of a list', () => {
  test('pageCount: whole pages and a part page; an empty list has its one page', () => {
    expect(pageCount(4_001, 2_000)).toBe(3);
    expect(pageCount(4_000, 2_000)).toBe(2);
    expect(pageCount(1, 50)).toBe(1);
    expect(pageCount(0, 50)).toBe(1);
  });

  test('a page within the list is the one asked for, in one question', async () => {
    const list = listOf(ROWS);
    const shown = await loadListPage({ asked: 2, pageSize: 2_000, load: list.load, totalOf: list.totalOf });
    expect([shown.page, shown.pages, shown.askedPastLast]).toEqual([2, 3, null]);
    expect([shown.answer.rows[0], shown.answer.rows.at(-1)]).toEqual([2_001, 4_000]);
    expect(list.asked).toEqual([{ page: 2, offset: 2_000 }]);
  });

  test('a page past the last is the last page, and the page asked for is kept to say so', async () => {
    const list = listOf(ROWS);
    const shown = await loadListPage({ asked: 9, pageSize: 2_000, load: list.load, totalOf: list.totalOf });
    expect([shown.page, shown.pages, shown.askedPastLast]).toEqual([3, 3, 9]);
    // Not an empty table: the last page's one row.
    expect(shown.answer.rows).toEqual([4_001]);
    expect(list.asked).toEqual([
      { page: 9, offset: 16_000 },
      { page: 3, offset: 4_000 },
    ]);
  });

  test('an empty list asked for a later page is its one, empty, first page', async () => {
    const list = listOf([]);
    const shown = await loadListPage({ asked: 4, pageSize: 2_000, load: list.load, totalOf: list.totalOf });
    expect([shown.page, shown.pages, shown.askedPastLast, shown.answer.rows]).toEqual([1, 1, 4, []]);
  });

  test('the notice names the page asked for and the page shown', () => {
    const text = (asked: number, pages: number) =>
      renderToStaticMarkup(createElement(PastLastPageNotice, { asked, pages })).replace(/<[^>]+>/g, '');
    expect(text(9, 3)).toBe('There is no page 9: page 3, the last, is shown.');
    expect(text(2_500, 1_204)).toBe('There is no page 2,500: page 1,204, the last, is shown.');
    expect(text(4, 1)).toBe('There is no page 4: this list has one page, shown below.');
  });
});
