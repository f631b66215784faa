import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { labelWidth, placeLabels } from '../../app/utils/label-placement';

/** Names beside a funnel's points, moved apart where they would print over each other. */
describe('placing the names of a chart’s points', () => {
  const room = { top: 16, bottom: 400 };

  test('names with room to spare stay beside their points', () => {
    const placed = placeLabels(
      [
        { text: 'CBT', x: 600, y: 210 },
        { text: 'IPT', x: 500, y: 212 },
        { text: 'Loop', x: 300, y: 100 },
      ],
      room,
    );
    expect(placed.map((label) => label.labelY)).toEqual([210, 212, 100]);
  });

  test('three near one another (IPSRT, DIT, other at about a thousand patients) are set 18 px apart (a 12 px name’s box is about 17 px tall), in order', () => {
    const placed = placeLabels(
      [
        { text: 'DIT', x: 152, y: 302 },
        { text: 'IPSRT', x: 150, y: 300 },
        { text: 'other', x: 148, y: 305 },
      ],
      room,
    );
    // Top to bottom by their points: IPSRT 300, DIT 302 -> 318, other 305 -> 336.
    expect(placed.map((label) => [label.text, label.labelY])).toEqual([
      ['DIT', 318],
      ['IPSRT', 300],
      ['other', 336],
    ]);
  });

  test('at the bottom of the plot they are pushed up instead, never below it', () => {
    const placed = placeLabels(
      [
        { text: 'A', x: 100, y: 395 },
        { text: 'B', x: 101, y: 398 },
      ],
      room,
    );
    // Down would give 395 and 413, past 400: B goes to 400 and A to 382.
    expect(placed.map((label) => label.labelY)).toEqual([382, 400]);
  });

  test('names side by side at the same height do not move, since they do not overlap', () => {
    const x = 100;
    const placed = placeLabels(
      [
        { text: 'Evanston', x, y: 200 },
        { text: 'Loop', x: x + 9 + labelWidth('Evanston') + 1, y: 200 },
      ],
      room,
    );
    expect(placed.map((label) => label.labelY)).toEqual([200, 200]);
  });

  test('any points: names whose spans overlap end at least 18 px apart, in their points’ order, inside the plot', () => {
    const point = fc.record({
      text: fc.constantFrom('IPT', 'CBT', 'IPSRT', 'DIT', 'other', 'Arlington Heights', 'Loop'),
      x: fc.integer({ min: 0, max: 700 }),
      y: fc.integer({ min: 16, max: 400 }),
    });
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 12 }), (points) => {
        const placed = placeLabels(points, room);
        expect(placed.map((label) => label.text)).toEqual(points.map((p) => p.text));
        for (const label of placed) expect(label.labelY).toBeGreaterThanOrEqual(room.top);
        // With room for all of them (12 x 18 px < 384 px), none runs past the bottom either.
        for (const label of placed) expect(label.labelY).toBeLessThanOrEqual(room.bottom);
        for (const [i, a] of placed.entries()) {
          for (const b of placed.slice(i + 1)) {
            const overlapX = a.x + 9 < b.x + 9 + labelWidth(b.text) && b.x + 9 < a.x + 9 + labelWidth(a.text);
            if (!overlapX) continue;
            expect(Math.abs(a.labelY - b.labelY)).toBeGreaterThanOrEqual(18 - 1e-9);
            if (a.y < b.y) expect(a.labelY).toBeLessThan(b.labelY);
          }
        }
      }),
      { numRuns: 300, seed: 20261128 },
    );
  });
});
