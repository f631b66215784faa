import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { methods } from '../../db/methods';
import { PROPORTION_METRICS } from '../../db/queries/outcome-query';

/**
 * Every "How ... is counted" link of the pages opens a methods entry that exists: a link to an
 * anchor the methods page lacks lands at its top, silently. Literal anchors are read from the
 * source (`anchor="..."`); the one worked out from the chart metric (Compare) is checked for every
 * metric.
 */
const APP = path.resolve(__dirname, '../../app');

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(path.join(folder, entry.name))
      : entry.name.endsWith('.tsx')
        ? [path.join(folder, entry.name)]
        : [],
  );
}

describe('links into the methods page', () => {
  const ids = new Set(
    methods().sections.flatMap((section) => [section.id, ...section.entries.map((entry) => entry.id)]),
  );

  test('every literal anchor names a methods entry', () => {
    const anchors = sources(APP).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\banchor="([^"]+)"/g)].map((match) => ({
        file: path.relative(APP, file),
        anchor: match[1]!,
      })),
    );
    // The pages link to at least these; the scan found them all.
    expect(anchors.map((link) => link.anchor)).toEqual(
      expect.arrayContaining(['adjusted-difference', 'case-mix', 'trend', 'small-cells', 'staffing-plan']),
    );
    for (const { file, anchor } of anchors) expect(ids.has(anchor), `${file}: #${anchor}`).toBe(true);
  });

  test("Compare's link for its chart metric names a methods entry for every metric", () => {
    for (const metric of PROPORTION_METRICS) expect(ids.has(metric.replace(/_/g, '-')), metric).toBe(true);
  });
});
