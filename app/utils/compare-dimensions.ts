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
