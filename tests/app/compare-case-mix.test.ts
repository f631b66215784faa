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

  test('across dimensions that are themselves case mix, says nothing', () => {
    for (const by of ['condition', 'length_band', 'problem_area', 'age_band'] as const) {
      expect(caseMixNote(by), by).toBeNull();
    }
  });
});
