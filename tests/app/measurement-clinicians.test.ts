import { expect, test } from 'vitest';
import { CLINICIANS_SHOWN, cliniciansShown } from '../../app/utils/quality-tables';

/** The measurement page's clinician table: every clinician of a small group, else the lowest first. */
const clinician = (unit: string, rate: number | null) => ({
  unit,
  paired_completeness: rate === null ? null : { rate },
});

test('up to CLINICIANS_SHOWN clinicians: all of them, in the order given (by pseudonym)', () => {
  const rows = [clinician('a1', 0.9), clinician('b2', 0.5), clinician('c3', null)];
  expect(cliniciansShown(rows)).toEqual(rows);
  const full = Array.from({ length: CLINICIANS_SHOWN }, (_, index) => clinician(`u${index}`, index / 100));
  expect(cliniciansShown(full)).toEqual(full);
});

test('more: the CLINICIANS_SHOWN lowest completeness rates, lowest first, withheld ones last, ties by pseudonym', () => {
  // 60 clinicians: u00..u59 with rates falling from 0.99 (u00) to 0.40 (u59); two withheld; a tie.
  const rows = [
    ...Array.from({ length: 60 }, (_, index) =>
      clinician(`u${String(index).padStart(2, '0')}`, Math.round((99 - index) * 10) / 1000),
    ),
    clinician('w1', null),
    clinician('tie-b', 0.4),
    clinician('tie-a', 0.4),
  ];
  const shown = cliniciansShown(rows);
  expect(shown).toHaveLength(CLINICIANS_SHOWN);
  // 0.40 three times (tie-a, tie-b, u59 by name), then 0.41 (u58) and upwards.
  expect(shown.slice(0, 4).map((row) => row.unit)).toEqual(['tie-a', 'tie-b', 'u59', 'u58']);
  // The 50 lowest of 62 rated rows: the highest shown is u12 (0.87); u11 (0.88) and the withheld are not.
  expect(shown.at(-1)!.unit).toBe('u12');
  expect(shown.map((row) => row.unit)).not.toContain('w1');
  const rates = shown.map((row) => row.paired_completeness!.rate);
  expect(rates).toEqual([...rates].sort((a, b) => a - b));
});
