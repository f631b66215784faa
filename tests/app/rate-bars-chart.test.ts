import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { RateBarsChart } from '../../app/components/charts/rate-bars-chart';
import { accessStandardLines, againstStandard } from '../../app/utils/quality-tables';

/**
 * The rate bars chart as the server renders it (the page's first HTML), measured by hand from its
 * fixed layout: 760 x 340 pixels, margins top 16, right 16, bottom 24, left 8; the y-axis is 76
 * wide and Recharts' x-axis 30 high. So the plot runs from x = 84 to 744 and from y = 16 (100%)
 * to 286 (0%); with two categories each band is 330 wide, Recovery's from 84 to 414.
 */
function chart(references: Parameters<typeof RateBarsChart>[0]['references']): string {
  return renderToStaticMarkup(
    createElement(RateBarsChart, {
      id: 'rates',
      title: 'Rates',
      description: 'Rates by modality',
      categories: ['Recovery', 'Response'],
      series: ['IPT'],
      bars: [
        { category: 'Recovery', series: 'IPT', rate: 0.52, ciLow: 0.5, ciHigh: 0.54 },
        { category: 'Response', series: 'IPT', rate: 0.39, ciLow: 0.37, ciHigh: 0.41 },
      ],
      yLabel: 'Share of patients',
      references,
    }),
  );
}

describe('rate bars chart: a benchmark over one category', () => {
  test('is drawn as a dashed line across that category at its value, over the bars', () => {
    const html = chart([{ value: 0.5, label: 'NHS national recovery ~50%', category: 'Recovery' }]);
    const lines = [...html.matchAll(/<line class="reference-line"([^>]*)>/g)].map((match) => match[1]!);
    expect(lines).toHaveLength(1);
    // 50% is half way down the plot: 16 + (286 - 16) / 2 = 151.
    for (const [name, value] of [
      ['x1', '84'],
      ['x2', '414'],
      ['y1', '151'],
      ['y2', '151'],
      ['stroke-dasharray', '6 3'],
    ]) {
      expect(lines[0]).toContain(` ${name}="${value}"`);
    }
    // After the bars in the SVG, so the 52% bar does not hide the line at 50%.
    expect(html.lastIndexOf('reference-line')).toBeGreaterThan(html.lastIndexOf('recharts-bar-rectangle'));
    // The caption that names it is only true if it is drawn.
    expect(html).toContain('Dashed line over Recovery: NHS national recovery ~50%');
  });

  test('no benchmark, no line', () => {
    expect(chart([])).not.toContain('reference-line');
  });
});

describe('rate bars chart: a standard across the chart (Access, Measurement)', () => {
  test('is drawn at its value over every category, and its caption says what it is, not "a national benchmark"', () => {
    const html = chart([
      {
        value: 0.75,
        label: 'NHS standard: 75% within 42 days',
        meaning: 'the share of referrals the standard expects to start treatment within 42 days',
      },
    ]);
    const line = /<line[^>]*class="recharts-reference-line-line"[^>]*>/.exec(html)?.[0] ?? '';
    // 75% is a quarter of the way down the plot: 16 + (286 - 16) / 4 = 83.5; from x = 84 to 744.
    for (const [name, value] of [
      ['x1', '84'],
      ['x2', '744'],
      ['y1', '83.5'],
      ['y2', '83.5'],
      ['stroke-dasharray', '6 3'],
    ]) {
      expect(line).toContain(` ${name}="${value}"`);
    }
    expect(html).toContain(
      'Dashed line: NHS standard: 75% within 42 days, the share of referrals the standard expects to start treatment within 42 days.',
    );
    expect(html).not.toContain('national benchmark');
  });
});

describe("Access's standards", () => {
  test('75% within 42 days and 95% within 126 days (NHS England 2015); a wait with no national share, no line', () => {
    expect(accessStandardLines([42, 126]).map(({ value, label }) => [value, label])).toEqual([
      [0.75, 'NHS standard: 75% within 42 days'],
      [0.95, 'NHS standard: 95% within 126 days'],
    ]);
    expect(accessStandardLines([126]).map((line) => line.value)).toEqual([0.95]);
    expect(accessStandardLines([30])).toEqual([]);
  });

  test('a share meets its standard from exactly the standard up; a withheld share is not judged', () => {
    expect(againstStandard({ rate: 0.75 }, 0.75)).toBe('meets the standard');
    expect(againstStandard({ rate: 0.7499 }, 0.75)).toBe('below the standard');
    expect(againstStandard({ rate: 1 }, 0.95)).toBe('meets the standard');
    expect(againstStandard({ rate: null }, 0.75)).toBeNull();
    expect(againstStandard(null, 0.75)).toBeNull();
  });
});

describe('rate bars chart: a group with no episodes', () => {
  test('is said to have none, so its empty place is not read as a rate of 0', () => {
    // As Treatment length's 21+ sessions for CBT in the demo data: no CBT episode attended 21 or
    // more sessions, so the engine has no row, while a rate of 0 would draw a whisker from 0.
    const html = renderToStaticMarkup(
      createElement(RateBarsChart, {
        id: 'rates',
        title: 'Rates',
        description: 'Rates by band',
        categories: ['17-20 sessions', '21+ sessions'],
        series: ['IPT', 'CBT'],
        bars: [
          { category: '17-20 sessions', series: 'IPT', rate: 0.56, ciLow: 0.53, ciHigh: 0.59 },
          { category: '17-20 sessions', series: 'CBT', rate: 0, ciLow: 0, ciHigh: 0.07 },
          { category: '21+ sessions', series: 'IPT', rate: 0.47, ciLow: 0.33, ciHigh: 0.63 },
        ],
        yLabel: 'Reliable improvement',
      }),
    );
    expect(html).toContain('No bar (no episodes): CBT 21+ sessions.');
    // CBT's 0% at 17-20 is a figure, not a missing group; nothing is withheld.
    expect(html).not.toContain('CBT 17-20 sessions');
    expect(html).not.toContain('withheld');
  });
});
