import { expect, test } from 'vitest';
import { figureDifferences, groupKey } from '../support/compare-figures';

// The acceptance test is only as strict as this comparison, so it is checked on its own.
test('counts must match exactly, other figures within the tolerance', () => {
  expect(figureDifferences({ count: 3, rate: 0.5 }, { count: 3, rate: 0.5000009 })).toEqual([]);
  expect(figureDifferences({ count: 3 }, { count: 3.0000001 })).toHaveLength(1);
  expect(figureDifferences({ rate: 0.5 }, { rate: 0.500002 })).toHaveLength(1);
});

test('a withheld figure must be withheld, and a field the expectation leaves out must be null', () => {
  expect(figureDifferences({ recovery: null }, { recovery: { count: 1 } })).toHaveLength(1);
  expect(figureDifferences({ episodes: 5 }, { episodes: 5, mean_baseline: 12 })).toEqual([
    '.mean_baseline: expected null, got 12',
  ]);
  expect(figureDifferences({ episodes: 5 }, { episodes: 5, mean_baseline: null })).toEqual([]);
  expect(figureDifferences({ episodes: 5 }, {})).toHaveLength(1);
});

test('curves must have the same length; booleans and strings must be equal', () => {
  expect(figureDifferences([{ session: 1 }], [{ session: 1 }, { session: 2 }])).toHaveLength(1);
  expect(figureDifferences({ suppressed: true }, { suppressed: false })).toHaveLength(1);
  expect(figureDifferences({ position: 'below' }, { position: 'within' })).toHaveLength(1);
});

test('group keys do not depend on the order of dimensions', () => {
  expect(groupKey({ modality: 'IPT', location: 'Loop' })).toBe(groupKey({ location: 'Loop', modality: 'IPT' }));
  expect(groupKey({ problem_area: null })).not.toBe(groupKey({ problem_area: 'grief' }));
});
