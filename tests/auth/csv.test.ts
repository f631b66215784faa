import { describe, expect, test } from 'vitest';
import { csvCell, toCsv } from '../../app/utils/csv';

describe('CSV cells', () => {
  test('cells a spreadsheet would run as formulas are written as text', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1+2')).toBe("'+1+2");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });

  test('numbers stay numbers, even negative ones; ordinary text is left alone', () => {
    expect(csvCell(-0.25)).toBe('-0.25');
    expect(csvCell(42)).toBe('42');
    expect(csvCell('Evanston')).toBe('Evanston');
    expect(csvCell(null)).toBe('');
  });

  test('quotes, commas and line breaks are quoted; rows end in CRLF', () => {
    expect(toCsv(['a', 'b'], [['x, y', 'say "hi"'], ['line\nbreak', 3]])).toBe(
      'a,b\r\n"x, y","say ""hi"""\r\n"line\nbreak",3\r\n',
    );
  });
});
