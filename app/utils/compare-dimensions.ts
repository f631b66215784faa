import {
  bandRanges,
  type Instrument,
  INSTRUMENT_DEFINITIONS,
  INSTRUMENTS,
  type OutcomeInstrument,
  SEVERITY_BAND_READING,
  severityBandsOf,
} from '../../db/definitions';
import type { GroupDimension } from './outcome-types';

/** Dimensions a modality can be compared across, first the default. */
export const COMPARE_DIMENSIONS = [
  'location',
  'condition',
  'length_band',
  'problem_area',
  'age_band',
  'delivery',
  'severity_band',
] as const satisfies readonly GroupDimension[];
export type CompareDimension = (typeof COMPARE_DIMENSIONS)[number];

/** The dimensions an instrument can compare by: no baseline band under the combined definition. */
export function compareDimensionsFor(instrument: OutcomeInstrument): CompareDimension[] {
  return COMPARE_DIMENSIONS.filter(
    (dimension) => dimension !== 'severity_band' || severityBandsOf(instrument).length > 0,
  );
}

/**
 * Compare shows raw rates. Across the places and ways care is delivered (location, delivery), who
 * is treated differs (baseline severity, condition), so a raw gap there can be case mix, not care;
 * the case-mix adjusted comparison is the Locations funnel (director and up). Across condition,
 * length, problem area or age band the dimension is itself part of the case mix, and nothing is
 * said. Null where no note is due.
 */
export function caseMixNote(by: CompareDimension): string | null {
  if (by === 'severity_band') return SEVERITY_NOTE;
  if (by !== 'location' && by !== 'delivery') return null;
  const units = by === 'location' ? 'locations' : 'modes of delivery';
  return `These are raw rates, not adjusted for case mix: ${units} that treat more severe cases, or conditions with lower recovery, can look worse here for that reason alone. The case-mix adjusted comparison of locations is the funnel plot on the Locations page (directors and up); response is the fairest rate to compare.`;
}

/**
 * By baseline severity the bands' rates are not a ranking of anything: they answer "for whom".
 * What a reader must know to read them: the rates at caseness have no one to count in a band
 * below it (worked out from the instruments' bands, so the words follow the definitions), and why
 * bands differ whatever the care.
 */
const SEVERITY_NOTE = `Bands are of the baseline score on this instrument. Recovery, reliable recovery, response and remission count only episodes that started at caseness: ${INSTRUMENTS.map(bandsBelowCaseness).join('; ')}. ${SEVERITY_BAND_READING}`;

/** "on the PHQ-9 (caseness 10 or more) the minimal band none, the mild band none". */
function bandsBelowCaseness(name: Instrument): string {
  const { severityBands, caseness, maxScore } = INSTRUMENT_DEFINITIONS[name];
  const parts = bandRanges(severityBands, maxScore).flatMap(({ band, lowest, highest }) => {
    const label = `the ${band.replaceAll('_', ' ')} band`;
    if (highest < caseness) return [`${label} none`];
    if (lowest < caseness) return [`${label} only scores of ${caseness} to ${highest}`];
    return [];
  });
  return `on the ${name} (caseness ${caseness} or more) ${parts.join(', ')}`;
}
