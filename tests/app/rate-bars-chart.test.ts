import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { RateBarsChart } from '../../app/components/charts/rate-bars-chart';

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
