import { describe, expect, test } from 'vitest';
import { funnelOverallNote, funnelPopulationNote, funnelWithheldNote } from '../../app/utils/funnel-columns';

/**
 * The Locations page compares units with the population in view: the reader's locations, or the
 * ones a filter chose. When that is not the whole service the page says so, and when it is one
 * location, that the funnel has nothing to compare it with.
 */
describe('the funnel population note', () => {
  test('every location in view: nothing to say', () => {
    expect(funnelPopulationNote({ locations: null, chosen: false, unit: 'location' })).toBeNull();
  });

  test("one location of the account's: compared with itself, said plainly", () => {
    expect(funnelPopulationNote({ locations: ['Evanston'], chosen: false, unit: 'location' })).toBe(
      'The overall rate, the case-mix rates and the limits are those of the locations your account may see (Evanston), not of the whole service: each location is compared with these alone. With one location there is nothing to compare it with: it sits on its own overall rate.',
    );
  });

  test('locations chosen in the filters, by clinician: the clinicians of those locations', () => {
    expect(funnelPopulationNote({ locations: ['Evanston', 'Loop', 'Online'], chosen: true, unit: 'clinician' })).toBe(
      'The overall rate, the case-mix rates and the limits are those of the locations chosen in the filters (Evanston, Loop and Online), not of the whole service: each clinician is compared with these alone.',
    );
  });
});

/** The funnel plots only the units it shows; the ones withheld are said under it, not left out silently. */
describe('the funnel withheld note', () => {
  const rows = [
    { unit: 'Chicago', suppressed: true },
    { unit: 'Evanston', suppressed: false },
    { unit: 'Online', suppressed: true },
  ];

  test('locations withheld are named', () => {
    expect(funnelWithheldNote(rows, { unit: 'location', minCell: 11 })).toBe(
      'Not plotted, withheld: Chicago, Online (under 11 patients, or the next smallest where the overall rate would reveal one); listed in the table below.',
    );
  });

  test('modalities withheld are named, as locations are', () => {
    const modalities = [
      { unit: 'CBT', suppressed: false },
      { unit: 'IPSRT', suppressed: true },
    ];
    expect(funnelWithheldNote(modalities, { unit: 'modality', minCell: 11, inTable: false })).toBe(
      'Not plotted, withheld: IPSRT (under 11 patients, or the next smallest where the overall rate would reveal one); listed in the CSV.',
    );
  });

  test('clinicians withheld are counted, not named by pseudonym', () => {
    expect(funnelWithheldNote(rows.slice(0, 2), { unit: 'clinician', minCell: 11 })).toBe(
      'Not plotted, withheld: 1 clinician (under 11 patients, or the next smallest where the overall rate would reveal one); listed in the table below.',
    );
  });

  test('every unit plotted: nothing to say', () => {
    expect(funnelWithheldNote([{ unit: 'Evanston', suppressed: false }], { unit: 'location', minCell: 11 })).toBeNull();
  });
});

/** The Locations file's overall-rate line: a withheld rate is the word alone, with no percent sign after it. */
describe('the funnel overall-rate note', () => {
  test('a rate of 23 in 44 (52.27...%) to one decimal; a withheld one "withheld", not "withheld%"', () => {
    expect(funnelOverallNote(23 / 44)).toBe('Overall rate: 52.3%');
    expect(funnelOverallNote(null)).toBe('Overall rate: withheld');
  });
});
