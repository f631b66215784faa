import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router-dom';
import { expect, test } from 'vitest';
import { FigureTable } from '../../app/components/figure-table';
import { SimpleTable } from '../../app/components/quality/figures';
import { countColumn } from '../../app/utils/figure-columns';
import type { PageTable } from '../../app/utils/page-table';
import { wordsColumn } from '../../app/utils/page-table';

/**
 * Every figure table (the outcome pages' sortable ones, and the quality, staffing and Compare
 * difference tables): figures line up on the right, words (a group, a reading, a position against
 * the limits) read from the left. Compare's "Reading" column was right-aligned like a figure and
 * wrapped into a ragged three-line block.
 */
interface Row {
  place: string;
  episodes: number;
  reading: string;
}

const TABLE: PageTable<Row> = {
  title: 'Two places',
  rowKey: (row) => row.place,
  rows: [
    { place: 'Evanston', episodes: 1_234, reading: 'Not clear: the interval holds 0' },
    { place: 'Loop', episodes: 56, reading: 'IPT higher' },
  ],
  columns: [
    wordsColumn<Row>('Location', ['location'], (row) => row.place),
    countColumn<Row>('episodes', 'Episodes', (row) => row.episodes),
    wordsColumn<Row>('Reading', ['reading'], (row) => row.reading),
  ],
};

/** Each header's and cell's class, in the order drawn. */
function classesOf(markup: string, tag: 'th' | 'td'): string[] {
  return [...markup.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>`, 'g'))].map(
    (match) => /class="([^"]*)"/.exec(match[1] ?? '')?.[1] ?? '',
  );
}

test('page tables: a figure column is right-aligned, a words column is not, in its header and every cell', () => {
  const markup = renderToStaticMarkup(
    createElement(MemoryRouter, null, createElement(SimpleTable<Row>, { table: TABLE })),
  );
  // th: three column headers, then each row's first cell (its name) as a row header.
  expect(classesOf(markup, 'th')).toEqual(['', 'numeric-cell', '', '', '']);
  expect(classesOf(markup, 'td')).toEqual(['numeric-cell', '', 'numeric-cell', '']);
  expect(markup).toContain('1,234');
  expect(markup).toContain('Not clear: the interval holds 0');
});

test('sortable figure tables: the same, headers and cells', () => {
  const markup = renderToStaticMarkup(
    createElement(
      MemoryRouter,
      null,
      createElement(FigureTable<Row>, {
        caption: TABLE.title,
        columns: TABLE.columns,
        rows: TABLE.rows,
        visible: TABLE.columns.map((column) => column.id),
        rowKey: TABLE.rowKey,
      }),
    ),
  );
  expect(markup).not.toContain('class="numeric"');
  expect(classesOf(markup, 'th')).toEqual(['', 'numeric-cell', '', '', '']);
  expect(classesOf(markup, 'td')).toEqual(['numeric-cell', '', 'numeric-cell', '']);
});
