import { describe, expect, test } from 'vitest';
import { caseMixNote, COMPARE_DIMENSIONS } from '../../app/utils/compare-dimensions';

/**
 * Compare's rates are raw. Its default comparison is by location, where who is treated differs;
 * a director must be told that a gap there can be case mix, and where the adjusted comparison is.
 */
describe('the case-mix note on Compare', () => {
  test('across locations and modes of delivery, says the rates are raw and where the adjusted ones are', () => {
    for (const by of ['location', 'delivery'] as const) {
      const note = caseMixNote(by)!;
      expect(note, by).toContain('raw rates, not adjusted for case mix');
      expect(note, by).toContain('Locations page');
    }
    expect(COMPARE_DIMENSIONS[0]).toBe('location');
  });

  test('by baseline severity, says which rates count no one below caseness and why bands differ', () => {
    const note = caseMixNote('severity_band')!;
    expect(note).toContain('on the PHQ-9 (caseness 10 or more) the minimal band none, the mild band none;');
    expect(note).toContain(
      'on the GAD-7 (caseness 8 or more) the minimal band none, the mild band only scores of 8 to 9.',
    );
    expect(note).toContain('regression to the mean');
  });

  test('across dimensions that are themselves case mix, says nothing', () => {
    for (const by of ['condition', 'length_band', 'problem_area', 'age_band'] as const) {
      expect(caseMixNote(by), by).toBeNull();
    }
  });
});
