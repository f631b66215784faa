import { describe, expect, test } from 'vitest';
import { funnelPopulationNote } from '../../app/utils/funnel-columns';

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
