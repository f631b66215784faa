import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FileRefused, readCsv } from '../../etl/files/read-csv';

const folder = mkdtempSync(path.join(tmpdir(), 'read-csv-'));

/** Reads a file through readCsv and returns what onRecord saw, plus the stats. */
async function read(content: string | Buffer) {
  const file = path.join(folder, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, content);
  const seen: Array<{ cells: string[]; line: number }> = [];
  let header: string[] = [];
  const { chunks, stats } = readCsv({
    path: file,
    file: 'episodes.csv',
    onHeader: (cells) => (header = cells),
    onRecord: (cells, line) => {
      seen.push({ cells, line });
      return `${line}\n`;
    },
  });
  let output = '';
  for await (const chunk of chunks) output += chunk;
  return { header, seen, output, stats: await stats };
}

describe('readCsv', () => {
  test('reports the physical line where each record starts, across CRLF, BOM and quoted newlines', async () => {
    const content = '\uFEFFa,b\r\n1,"x\r\ny"\r\n\r\n3,"he said ""hi"", twice"\r\n5,6';
    const { header, seen, output, stats } = await read(content);
    expect(header).toEqual(['a', 'b']);
    expect(seen).toEqual([
      { cells: ['1', 'x\r\ny'], line: 2 },
      { cells: ['3', 'he said "hi", twice'], line: 5 },
      { cells: ['5', '6'], line: 6 },
    ]);
    expect(output).toBe('2\n5\n6\n');
    expect(stats.records).toBe(3);
    expect(stats.bytes).toBe(Buffer.byteLength(content));
    // sha256 of the raw bytes, BOM included (what `sha256sum` says of the file).
    expect(stats.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('refuses bytes that are not UTF-8, naming the line', async () => {
    const content = Buffer.concat([Buffer.from('a,b\n1,2\n3,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    await expect(read(content)).rejects.toThrow(FileRefused);
    await expect(read(content)).rejects.toThrow(/not UTF-8 text \(invalid bytes on line 3\)/);
  });

  test('refuses an unclosed quote and names the line where its record starts, not the end of the file', async () => {
    await expect(read('a,b\nx,y\n1,"open\n2,3\n4,5\n')).rejects.toThrow(
      /episodes\.csv is not valid CSV: a quoted field is never closed \(line 3\)$/,
    );
  });

  test('refuses an empty file: there is no header', async () => {
    await expect(read('')).rejects.toThrow(/episodes\.csv is empty/);
  });

  test('a header alone is a file with no records', async () => {
    const { seen, stats } = await read('a,b\n');
    expect(seen).toEqual([]);
    expect(stats.records).toBe(0);
  });
});
