import { describe, expect, test } from 'vitest';
import { loader as planCsv } from '../../app/routes/staffing.plan[.]csv';
import { loader as planLoader } from '../../app/routes/staffing.plan';
import { loader as capacityCsv } from '../../app/routes/staffing.capacity[.]csv';
import { loader as capacityLoader } from '../../app/routes/staffing.capacity';
import { describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * The plan's clinician-time inputs in the address: weeks worked a year (`weeks`, 46 unless given,
 * a whole number from 30 to 52) and whether missed appointments take a slot (`missed=on|off`, on
 * unless given). Worked by hand: 12 IPT episodes at Evanston started 2025-01 and ended 2025-03,
 * each attending 8 sessions and missing 2, so IPT's missed-session rate is 24 / (96 + 24) = 20% and
 * an episode books 8 / 0.8 = 10 sessions. The window ends 2025-03: 12 new episodes a year.
 * - defaults: 12 x 10 = 120 / 46 = 2.608696 a week / 25 = 0.104348 FTE;
 * - weeks=52, missed=off: 12 x 8 = 96 / 52 = 1.846154 a week = 0.073846 FTE;
 * - weeks=30, missed=off: 96 / 30 = 3.2 a week = 0.128 FTE ("0.13").
 */
const EPISODES: EpisodeFixture[] = many(12, 'ipt', {
  start_month: '2025-01',
  end_month: '2025-03',
  sessions_attended: 8,
  sessions_missed: 2,
});

interface PlanPage {
  growth: Record<string, number>;
  plan: {
    weeks_worked: number;
    missed_take_slot: boolean;
    rows: Array<{
      modality: string;
      location: string;
      weekly_sessions_needed: number | null;
      fte_needed: number | null;
    }>;
  };
  inputProblems: Array<{ parameter: string; given: string; allowed: string; used: string }>;
}

describeWithEpisodes('staffing plan inputs: weeks worked and missed appointments', EPISODES, (warehouse) => {
  const { as, file } = loaderCalls(warehouse);
  const page = async (path: string) => {
    const answer = await as('leadership', path, planLoader as Loader);
    expect(answer.status, path).toBe(200);
    return answer.value as PlanPage;
  };
  const ipt = (plan: PlanPage['plan']) => plan.rows.find((row) => row.modality === 'IPT')!;

  test('by default 46 weeks worked and missed appointments booked', async () => {
    const { plan, inputProblems } = await page('/staffing/plan');
    expect(plan).toMatchObject({ weeks_worked: 46, missed_take_slot: true });
    expect(ipt(plan).weekly_sessions_needed).toBeCloseTo(2.608696, 6);
    expect(ipt(plan).fte_needed).toBeCloseTo(0.104348, 6);
    expect(inputProblems).toEqual([]);
  });

  test('weeks=52 and missed=off from the address: attended sessions over 52 weeks', async () => {
    const { plan } = await page('/staffing/plan?weeks=52&missed=off');
    expect(plan).toMatchObject({ weeks_worked: 52, missed_take_slot: false });
    expect(ipt(plan).weekly_sessions_needed).toBeCloseTo(1.846154, 6);
    expect(ipt(plan).fte_needed).toBeCloseTo(0.073846, 6);
  });

  test('a weeks or missed the server cannot use is named on the page, and the plan uses the default', async () => {
    for (const given of ['29', '53', '45.5', 'x46', '-46']) {
      const { plan, inputProblems } = await page(`/staffing/plan?weeks=${encodeURIComponent(given)}`);
      expect(inputProblems, given).toEqual([
        { parameter: 'weeks', given, allowed: 'a whole number of weeks from 30 to 52', used: '46' },
      ]);
      expect(plan.weeks_worked).toBe(46);
      expect(ipt(plan).fte_needed).toBeCloseTo(0.104348, 6);
    }
    const { plan, inputProblems } = await page('/staffing/plan?weeks=30&missed=yes');
    expect(inputProblems).toEqual([{ parameter: 'missed', given: 'yes', allowed: 'on or off', used: 'on' }]);
    // weeks=30 is good and kept: 120 / 30 = 4 a week = 0.16 FTE.
    expect(plan).toMatchObject({ weeks_worked: 30, missed_take_slot: true });
    expect(ipt(plan).fte_needed).toBeCloseTo(0.16, 6);
  });

  test('the form sends a hidden missed=off before the checkbox: the last value is the choice', async () => {
    const ticked = await as('leadership', '/staffing/plan?missed=off&missed=on', planLoader as Loader);
    expect(ticked.status).toBe(302);
    expect((ticked.value as Response).headers.get('location')).toBe('/staffing/plan?missed=on');
    const { plan } = await page('/staffing/plan?missed=off');
    expect(plan.missed_take_slot).toBe(false);
  });

  describe('the CSV file', () => {
    test('writes the inputs and the assumptions in its # lines', async () => {
      const csv = await file('leadership', '/staffing/plan.csv?weeks=30&missed=off', planCsv as Loader);
      const comments = csv.comments.join('\n');
      expect(comments).toContain('Sessions per FTE-week: 25');
      expect(comments).toContain('Weeks worked a year: 30');
      expect(comments).toContain('Missed appointments take a slot: no');
      expect(comments).toContain('a full-time clinician works 30 weeks a year');
      expect(comments).toContain('missed appointments are counted as taking no slot');
      expect(comments).not.toMatch(/averaged over|52 weeks of the year/);
      expect(csv.rows.find((row) => row.Modality === 'IPT')).toMatchObject({
        'Attended sessions per episode': '8.0',
        'Missed sessions per episode': '2.0',
        'Sessions a week needed': '3.2',
        'FTE needed': '0.13',
      });
      const defaults = await file('leadership', '/staffing/plan.csv', planCsv as Loader);
      expect(defaults.comments.join('\n')).toContain('Weeks worked a year: 46');
      expect(defaults.comments.join('\n')).toContain('Missed appointments take a slot: yes');
      expect(defaults.rows.find((row) => row.Modality === 'IPT')).toMatchObject({ 'FTE needed': '0.10' });
    });

    test('refuses a weeks or missed it cannot use with a 400 naming it', async () => {
      for (const [path, named] of [
        ['/staffing/plan.csv?weeks=53', /^weeks: a whole number of weeks from 30 to 52, not "53"/],
        ['/staffing/plan.csv?weeks=', null],
        ['/staffing/plan.csv?missed=yes', /^missed: on or off, not "yes"/],
      ] as const) {
        const answer = await as('leadership', path, planCsv as Loader);
        if (named === null) {
          expect(answer.status, path).not.toBe(400);
          continue;
        }
        expect(answer.status, path).toBe(400);
        expect(await (answer.value as Response).text()).toMatch(named);
      }
    });
  });
});

/**
 * Every staffing input the server cannot use is named, as `weeks` is: sessions per FTE-week
 * (`spw`, 1 to 60) on the plan and the capacity page, and growth per modality (`growth_IPT`,
 * -90 to 300) on the plan. Same 12 IPT episodes: at the defaults IPT needs 0.104348 FTE; at
 * spw=20, 2.608696 / 20 = 0.130435; at growth_IPT=50, 18 episodes a year: 0.156522.
 */
describeWithEpisodes('staffing inputs the server cannot use: spw and growth', EPISODES, (warehouse) => {
  const { as, file } = loaderCalls(warehouse);
  const page = async <Page>(path: string, loader: Loader) => {
    const answer = await as('leadership', path, loader);
    expect(answer.status, path).toBe(200);
    return answer.value as Page;
  };
  const plan = (path: string) =>
    page<PlanPage & { plan: { sessions_per_fte_week: number } }>(path, planLoader as Loader);
  const capacity = (path: string) =>
    page<{ capacity: { sessions_per_fte_week: number }; inputProblems: PlanPage['inputProblems'] }>(
      path,
      capacityLoader as Loader,
    );
  const iptFte = (answer: PlanPage) => answer.plan.rows.find((row) => row.modality === 'IPT')!.fte_needed;
  const SPW = 'a number of sessions from 1 to 60';
  const GROWTH = 'a percentage from -90 to 300';
  const BAD_SPW = ['0', 'abc', '61', '250'];
  const BAD_GROWTH = ['400', '-95', 'abc'];

  test('the plan page names a bad spw and uses 25; a good one is used as given', async () => {
    for (const given of BAD_SPW) {
      const answer = await plan(`/staffing/plan?spw=${given}`);
      expect(answer.inputProblems, given).toEqual([{ parameter: 'spw', given, allowed: SPW, used: '25' }]);
      expect(answer.plan.sessions_per_fte_week).toBe(25);
      expect(iptFte(answer)).toBeCloseTo(0.104348, 6);
    }
    const good = await plan('/staffing/plan?spw=20');
    expect(good.inputProblems).toEqual([]);
    expect(good.plan.sessions_per_fte_week).toBe(20);
    expect(iptFte(good)).toBeCloseTo(0.130435, 6);
  });

  test('the plan page names a bad growth and uses 0; a good one is used as given', async () => {
    for (const given of BAD_GROWTH) {
      const answer = await plan(`/staffing/plan?growth_IPT=${given}`);
      expect(answer.inputProblems, given).toEqual([{ parameter: 'growth_IPT', given, allowed: GROWTH, used: '0' }]);
      expect(answer.growth).toMatchObject({ IPT: 0 });
      expect(iptFte(answer)).toBeCloseTo(0.104348, 6);
    }
    const good = await plan('/staffing/plan?growth_IPT=50&growth_CBT=-90');
    expect(good.inputProblems).toEqual([]);
    expect(good.growth).toMatchObject({ IPT: 50, CBT: -90 });
    expect(iptFte(good)).toBeCloseTo(0.156522, 6);
    // Several at once: each is named.
    const both = await plan('/staffing/plan?growth_IPT=400&spw=0&weeks=29');
    expect(both.inputProblems.map((problem) => problem.parameter)).toEqual(['growth_IPT', 'spw', 'weeks']);
  });

  test('the capacity page names a bad spw and uses 25; a good one is used as given', async () => {
    for (const given of BAD_SPW) {
      const answer = await capacity(`/staffing/capacity?spw=${given}`);
      expect(answer.inputProblems, given).toEqual([{ parameter: 'spw', given, allowed: SPW, used: '25' }]);
      expect(answer.capacity.sessions_per_fte_week).toBe(25);
    }
    const good = await capacity('/staffing/capacity?spw=22.5');
    expect(good.inputProblems).toEqual([]);
    expect(good.capacity.sessions_per_fte_week).toBe(22.5);
  });

  test('the plan and capacity files refuse a bad spw or growth with a 400 naming it, and take a good one', async () => {
    const refused: Array<[string, Loader, string]> = [
      ...BAD_SPW.flatMap((given): Array<[string, Loader, string]> => [
        [`/staffing/plan.csv?spw=${given}`, planCsv as Loader, `spw: ${SPW}, not "${given}".`],
        [`/staffing/capacity.csv?spw=${given}`, capacityCsv as Loader, `spw: ${SPW}, not "${given}".`],
      ]),
      ...BAD_GROWTH.map((given): [string, Loader, string] => [
        `/staffing/plan.csv?growth_IPT=${given}`,
        planCsv as Loader,
        `growth_IPT: ${GROWTH}, not "${given}".`,
      ]),
    ];
    for (const [path, loader, message] of refused) {
      const answer = await as('leadership', path, loader);
      expect(answer.status, path).toBe(400);
      expect(await (answer.value as Response).text(), path).toBe(message);
    }
    const planFile = await file('leadership', '/staffing/plan.csv?spw=20&growth_IPT=50', planCsv as Loader);
    expect(planFile.comments.join('\n')).toContain('Sessions per FTE-week: 20');
    expect(planFile.comments.join('\n')).toMatch(/IPT 50/);
    const capacityFile = await file('leadership', '/staffing/capacity.csv?spw=20', capacityCsv as Loader);
    expect(capacityFile.comments.join('\n')).toContain('Sessions per FTE-week: 20');
  });
});
