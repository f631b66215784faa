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

  test('refuses bytes that are not UTF-8, naming the line and column', async () => {
    const content = Buffer.concat([Buffer.from('a,b\n1,2\n3,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    await expect(read(content)).rejects.toThrow(FileRefused);
    // "3,caf" is five characters: the Latin-1 é is the sixth.
    await expect(read(content)).rejects.toThrow(/not UTF-8 text \(invalid bytes on line 3, column 6\)/);
  });

  test('counts CR-only line ends as lines when naming a byte that is not UTF-8', async () => {
    const content = Buffer.concat([Buffer.from('a,b\r1,2\r3,4\r5,caf'), Buffer.from([0xe9]), Buffer.from('\r')]);
    await expect(read(content)).rejects.toThrow(/not UTF-8 text \(invalid bytes on line 4, column 6\)/);
    // CRLF is one line end, not two.
    const crlf = Buffer.concat([Buffer.from('a,b\r\n1,2\r\n\u00e9,'), Buffer.from([0xff]), Buffer.from('\r\n')]);
    await expect(read(crlf)).rejects.toThrow(/not UTF-8 text \(invalid bytes on line 3, column 3\)/);
  });

  test('names the column after a BOM and multi-byte characters, and a file that ends inside a character', async () => {
    // The BOM is no character; "é,€" is three characters, so the bad byte is the fourth on line 2.
    const afterBom = Buffer.concat([Buffer.from('\uFEFFa,b\n\u00e9,\u20ac'), Buffer.from([0xc0]), Buffer.from('\n')]);
    await expect(read(afterBom)).rejects.toThrow(/invalid bytes on line 2, column 4\)/);
    // A U+FEFF past the start of the file is a character like any other.
    const midFile = Buffer.concat([Buffer.from('a,b\n\uFEFFx,'), Buffer.from([0xff])]);
    await expect(read(midFile)).rejects.toThrow(/invalid bytes on line 2, column 4\)/);
    const cut = Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xe2, 0x82])]);
    await expect(read(cut)).rejects.toThrow(/it ends inside a character, begun on line 3, column 3\)/);
  });

  describe('a byte that is not UTF-8 near the 1 MiB read boundary is named on its own line', () => {
    const MIB = 1024 * 1024;
    // 'a,b\n' then lines of 'nnnnnn,x\n' (9 bytes) up to just short of the boundary, padded with a
    // line of its own so that exactly `fill` bytes come before `tail`. Lines are counted by hand:
    // the header is line 1, each 9-byte line one more, the padding line one more.
    function around(fill: number, tail: Buffer): { content: Buffer; linesBefore: number } {
      const header = 'a,b\n';
      const rows = Math.floor((fill - header.length - 20) / 9);
      const padding = fill - header.length - rows * 9;
      const head = header + '123456,x\n'.repeat(rows) + 'p'.repeat(padding - 1) + '\n';
      expect(Buffer.byteLength(head)).toBe(fill);
      return { content: Buffer.concat([Buffer.from(head), tail]), linesBefore: 1 + rows + 1 };
    }

    test('the first byte after the boundary', async () => {
      const { content, linesBefore } = around(MIB, Buffer.from([0xff, 0x0a]));
      expect(content[MIB]).toBe(0xff);
      await expect(read(content)).rejects.toThrow(new RegExp(`invalid bytes on line ${linesBefore + 1}, column 1\\)`));
    });

    test('a character cut by the boundary is fine; a bad byte two lines after it is named there', async () => {
      // € is E2 82 AC: the boundary falls after E2 82. Then "€,1\n", "2,3\n", "x," and a bad byte.
      const { content, linesBefore } = around(
        MIB - 2,
        Buffer.concat([Buffer.from('\u20ac,1\n2,3\nx,'), Buffer.from([0xff]), Buffer.from('\n')]),
      );
      expect(content.subarray(MIB - 2, MIB + 1)).toEqual(Buffer.from([0xe2, 0x82, 0xac]));
      await expect(read(content)).rejects.toThrow(new RegExp(`invalid bytes on line ${linesBefore + 3}, column 3\\)`));
    });

    test('a character begun before the boundary and broken after it is named where it begins', async () => {
      // C3 is the last byte before the boundary and must be followed by 80-BF: "(" is not.
      const { content, linesBefore } = around(
        MIB - 3,
        Buffer.concat([Buffer.from('y,'), Buffer.from([0xc3]), Buffer.from('(\n1,2\n3,4\n')]),
      );
      expect(content[MIB - 1]).toBe(0xc3);
      await expect(read(content)).rejects.toThrow(new RegExp(`invalid bytes on line ${linesBefore + 1}, column 3\\)`));
    });
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
