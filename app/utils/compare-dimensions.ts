import type { GroupDimension } from './outcome-types';

/** Dimensions a modality can be compared across, first the default. */
export const COMPARE_DIMENSIONS = [
  'location',
  'condition',
  'length_band',
  'problem_area',
  'age_band',
  'delivery',
] as const satisfies readonly GroupDimension[];
export type CompareDimension = (typeof COMPARE_DIMENSIONS)[number];

/**
 * Compare shows raw rates. Across the places and ways care is delivered (location, delivery), who
 * is treated differs (baseline severity, condition), so a raw gap there can be case mix, not care;
 * the case-mix adjusted comparison is the Locations funnel (director and up). Across condition,
 * length, problem area or age band the dimension is itself part of the case mix, and nothing is
 * said. Null where no note is due.
 */
export function caseMixNote(by: CompareDimension): string | null {
  if (by !== 'location' && by !== 'delivery') return null;
  const units = by === 'location' ? 'locations' : 'modes of delivery';
  return `These are raw rates, not adjusted for case mix: ${units} that treat more severe cases, or conditions with lower recovery, can look worse here for that reason alone. The case-mix adjusted comparison of locations is the funnel plot on the Locations page (directors and up); response is the fairest rate to compare.`;
}
