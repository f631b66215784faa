import { describe, expect, test } from 'vitest';
import { instrumentHeading } from '../../app/utils/labels';

/**
 * Headings that name the instrument (Overview, Treatment length, Trends). The instrument's label
 * brings its own brackets ("PHQ-9 (depression)"), so it must not go in brackets again.
 */
describe('a heading with its instrument', () => {
  test('names the instrument after a colon, each bracket once', () => {
    expect(instrumentHeading('By modality', 'PHQ-9')).toBe('By modality: PHQ-9 (depression)');
    expect(instrumentHeading('Recovery by quarter', 'GAD-7')).toBe('Recovery by quarter: GAD-7 (anxiety)');
    expect(instrumentHeading('Reliable improvement by treatment length and modality', 'combined')).toBe(
      'Reliable improvement by treatment length and modality: PHQ-9 and GAD-7 combined (NHS)',
    );
  });

  test('an instrument without a label is named by its code', () => {
    expect(instrumentHeading('By modality', 'WSAS')).toBe('By modality: WSAS');
  });
});
