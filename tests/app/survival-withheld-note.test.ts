import { describe, expect, test } from 'vitest';
import { survivalWithheldNote } from '../../app/utils/survival-columns';

/** The Kaplan-Meier chart draws no curve for a withheld modality; the page says which, under it. */
describe('the time-to-improvement withheld note', () => {
  test('names the withheld modalities', () => {
    const rows = [
      { group: { modality: 'IPT' }, suppressed: false },
      { group: { modality: 'IPSRT' }, suppressed: true },
      { group: { modality: 'DIT' }, suppressed: true },
    ];
    expect(survivalWithheldNote(rows, 11)).toBe('No curve, withheld (under 11 paired episodes): IPSRT, DIT.');
  });

  test('every curve drawn: nothing to say', () => {
    expect(survivalWithheldNote([{ group: { modality: 'IPT' }, suppressed: false }], 11)).toBeNull();
  });
});
