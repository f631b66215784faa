import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { GrowthSliders } from '../../app/components/quality/growth-sliders';
import { growthOf } from '../../app/models/staffing.server';
import { GROWTH_PERCENT_RANGE } from '../../db/queries/staffing-plan';

/**
 * The plan's growth sliders hold every growth the server accepts from the address, as it is. A
 * slider whose range or step leaves a value out shows another one and, when any other input of
 * the form changes (the form submits itself), sends that other value: the plan a director
 * bookmarked at +150% IPT would quietly become +100%.
 */
function slider(html: string, modality: string): Record<string, string> {
  const tag = new RegExp(`<input[^>]*name="growth_${modality}"[^>]*>`).exec(html)?.[0] ?? '';
  return Object.fromEntries([...tag.matchAll(/ ([a-z-]+)="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
}

describe('growth sliders on the staffing plan', () => {
  test('a growth from the address at the ends of the accepted range or off a step of 5 is on its slider', () => {
    const growth = growthOf(
      new URL('http://x/staffing/plan?growth_IPT=300&growth_CBT=-90&growth_IPSRT=150&growth_DIT=12'),
    );
    expect(growth).toMatchObject({ IPT: 300, CBT: -90, IPSRT: 150, DIT: 12, other: 0 });
    const html = renderToStaticMarkup(createElement(GrowthSliders, { growth, range: GROWTH_PERCENT_RANGE }));
    for (const [modality, percent] of Object.entries(growth)) {
      const input = slider(html, modality);
      const [min, max, step] = [Number(input.min), Number(input.max), Number(input.step)];
      expect(input.value).toBe(String(percent));
      expect(min).toBeLessThanOrEqual(percent);
      expect(max).toBeGreaterThanOrEqual(percent);
      // The browser moves a value to the nearest step from min: a whole percent stays put.
      expect((percent - min) % step).toBe(0);
    }
  });

  test('the sliders span exactly what the server accepts', () => {
    const html = renderToStaticMarkup(createElement(GrowthSliders, { growth: {}, range: GROWTH_PERCENT_RANGE }));
    expect(slider(html, 'IPT')).toMatchObject({ min: '-90', max: '300', value: '0' });
  });
});
