import { expect } from 'vitest';

/**
 * Compares an answer with figures computed elsewhere (R): counts exactly, every other number within
 * `tolerance`, nulls as nulls, and a field the expectation leaves out must be null in the answer.
 * Differences are collected with their path, so one failure names every figure that is off.
 */
const COUNT_FIELDS = new Set([
  'count',
  'denominator',
  'episodes',
  'finished',
  'outcome_cohort',
  'n',
  'events',
  'at_risk',
  'censored',
  'observed',
  'session',
]);

export function figureDifferences(expected: unknown, actual: unknown, where = '', tolerance = 1e-6): string[] {
  const field = where.split('.').pop() ?? '';
  if (expected === null || expected === undefined) {
    return actual === null || actual === undefined ? [] : [`${where}: expected null, got ${JSON.stringify(actual)}`];
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return [`${where}: expected ${expected}, got ${JSON.stringify(actual)}`];
    if (COUNT_FIELDS.has(field)) return actual === expected ? [] : [`${where}: expected ${expected}, got ${actual}`];
    return Math.abs(actual - expected) <= tolerance ? [] : [`${where}: expected ${expected}, got ${actual}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${where}: expected ${expected.length} items, got ${Array.isArray(actual) ? actual.length : 'none'}`];
    }
    return expected.flatMap((item, index) => figureDifferences(item, actual[index], `${where}[${index}]`, tolerance));
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object')
      return [`${where}: expected an object, got ${JSON.stringify(actual)}`];
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((key) =>
      figureDifferences((expected as any)[key], (actual as any)[key], `${where}.${key}`, tolerance),
    );
  }
  return actual === expected ? [] : [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/** A group's key that does not depend on the order of its dimensions. */
export function groupKey(group: Record<string, unknown>): string {
  return JSON.stringify(Object.entries(group).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Rows matched by a key (never by position): the same keys, and each row's figures as expected. */
export function expectSameRows(
  expectedRows: any[],
  actualRows: any[],
  keyOf: (row: any) => string,
  label: string,
): void {
  expect(actualRows.map(keyOf).sort(), `${label}: groups`).toEqual(expectedRows.map(keyOf).sort());
  const byKey = new Map(actualRows.map((row) => [keyOf(row), row]));
  const differences = expectedRows.flatMap((row) =>
    figureDifferences(row, byKey.get(keyOf(row)), `${label} ${keyOf(row)}`),
  );
  expect(differences).toEqual([]);
}
