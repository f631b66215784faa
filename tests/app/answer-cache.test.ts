import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { askCached, questionKey } from '../../app/utils/answer-cache.server';
import { freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * The answer cache behind the analyst API and the dashboard's figures: a question is answered once
 * per data version, the key does not depend on the order filters were parsed in, and readers with
 * different scopes never share an answer.
 */
describe('questionKey', () => {
  test('the same filters in a different key order are the same question', () => {
    const a = questionKey('outcomes', { filters: { modality: ['IPT'], instrument: 'PHQ-9' }, minCell: 11 });
    const b = questionKey('outcomes', { minCell: 11, filters: { instrument: 'PHQ-9', modality: ['IPT'] } });
    expect(a).toBe(b);
  });

  test('a different scope, grouping order, minimum cell or question name is a different question', () => {
    const base = { filters: { group_by: ['modality', 'location'] }, scope: { locations: ['Evanston'] }, minCell: 11 };
    const key = questionKey('outcomes', base);
    expect(questionKey('outcomes', { ...base, scope: { locations: null } })).not.toBe(key);
    expect(questionKey('outcomes', { ...base, filters: { group_by: ['location', 'modality'] } })).not.toBe(key);
    expect(questionKey('outcomes', { ...base, minCell: 20 })).not.toBe(key);
    expect(questionKey('trend', base)).not.toBe(key);
  });
});

describe('askCached', () => {
  let warehouse: TestWarehouse;
  let context: AppLoadContext;
  beforeAll(async () => {
    warehouse = await freshWarehouse('embedded');
    context = { warehouse } as AppLoadContext;
  });
  afterAll(async () => {
    await warehouse?.dispose();
  });

  async function succeededLoad(id: number) {
    await warehouse.db
      .insertInto('etl_run')
      .values({ id, status: 'succeeded', dry_run: false, source: 'test' })
      .execute();
  }

  test('a question is asked once per data version, and again after a load', async () => {
    let asked = 0;
    const question = async () => ++asked;
    expect(await askCached(context, 'q1', question)).toBe(1);
    expect(await askCached(context, 'q1', question)).toBe(1);
    expect(asked).toBe(1);
    await succeededLoad(101);
    expect(await askCached(context, 'q1', question)).toBe(2);
    expect(await askCached(context, 'q1', question)).toBe(2);
    // A dry run or a refused run writes no data: the version stays.
    await warehouse.db
      .insertInto('etl_run')
      .values({ id: 102, status: 'succeeded', dry_run: true, source: 'test' })
      .execute();
    await warehouse.db
      .insertInto('etl_run')
      .values({ id: 103, status: 'refused', dry_run: false, source: 'test' })
      .execute();
    expect(await askCached(context, 'q1', question)).toBe(2);
    expect(asked).toBe(2);
  });

  test('different keys are answered separately; a burst of one new question is computed once', async () => {
    let asked = 0;
    const question = async () => {
      asked += 1;
      return asked;
    };
    const burst = await Promise.all([1, 2, 3].map(() => askCached(context, 'q2', question)));
    expect(burst).toEqual([1, 1, 1]);
    expect(await askCached(context, 'q3', question)).toBe(2);
  });

  test('fifty readers asking the same cold question while it runs share one run of it', async () => {
    let asked = 0;
    let finish!: () => void;
    const running = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // A slow question: it answers only when the test lets it, after every reader has asked.
    const slow = async () => {
      asked += 1;
      await running;
      return 'answer';
    };
    const early = Array.from({ length: 25 }, () => askCached(context, 'q-cold', slow));
    // The rest arrive once the question is under way (each still looks up the data version first).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked).toBe(1);
    const late = Array.from({ length: 25 }, () => askCached(context, 'q-cold', slow));
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish();
    expect(await Promise.all([...early, ...late])).toEqual(Array.from({ length: 50 }, () => 'answer'));
    expect(asked).toBe(1);
  });

  test('at most ten large answers are kept: the eleventh evicts the oldest large one, not the small ones', async () => {
    const asked = new Map<string, number>();
    const question = (key: string) => async () => {
      asked.set(key, (asked.get(key) ?? 0) + 1);
      return key;
    };
    const ask = (key: string, large: boolean) => askCached(context, key, question(key), { large });
    await ask('small-before', false);
    for (let index = 0; index < 11; index += 1) await ask(`large-${index}`, true);
    await ask('small-after', false);
    // Asked again, newest first: large-10..large-1 and the small ones are kept, large-0 is not.
    for (let index = 10; index >= 1; index -= 1) await ask(`large-${index}`, true);
    await ask('small-before', false);
    await ask('small-after', false);
    expect([...asked.values()].every((count) => count === 1)).toBe(true);
    await ask('large-0', true);
    expect(asked.get('large-0')).toBe(2);
  });

  test('a question during which a load commits is asked again, so its statements read one data version', async () => {
    let asked = 0;
    const question = async () => {
      asked += 1;
      // A load commits while the first attempt is under way.
      if (asked === 1) await succeededLoad(201);
      return asked;
    };
    expect(await askCached(context, 'q-during-load', question)).toBe(2);
    // Kept: the same question is not asked a third time at the new version.
    expect(await askCached(context, 'q-during-load', question)).toBe(2);
    expect(asked).toBe(2);
  });

  test('a failed question is not remembered', async () => {
    let asked = 0;
    const flaky = async () => {
      asked += 1;
      if (asked === 1) throw new Error('first time fails');
      return 'ok';
    };
    await expect(askCached(context, 'q4', flaky)).rejects.toThrow('first time fails');
    expect(await askCached(context, 'q4', flaky)).toBe('ok');
    expect(asked).toBe(2);
  });
});
