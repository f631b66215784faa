import { describe, expect, test } from 'vitest';
import { missedPerEpisode, type ModalitySessions } from '../../db/queries/staffing-demand';

/**
 * Missed sessions per episode from the demand page's missed-session rate r and the mean attended
 * sessions a: a x r / (1 - r), worked by hand. 12 attended and r = 20% (3 missed in 15 booked)
 * is 12 x 0.2 / 0.8 = 3; r = 11% with 12 attended is 12 x 0.11 / 0.89 = 1.483146.
 */
const modality = (sessions: Partial<ModalitySessions>): ModalitySessions => ({
  modality: 'IPT',
  suppressed: false,
  ended_episodes: 40,
  mean_attended: 12,
  missed_counted_episodes: 40,
  missed_rate: 0.2,
  ...sessions,
});

describe('missed sessions per episode', () => {
  test('from the rate: a x r / (1 - r)', () => {
    expect(missedPerEpisode(modality({})).value).toBeCloseTo(3, 9);
    expect(missedPerEpisode(modality({ missed_rate: 0.11 })).value).toBeCloseTo(1.483146, 6);
    expect(missedPerEpisode(modality({ missed_rate: 0 }))).toEqual({ value: 0, reason: null });
  });

  test('withheld with the rate or its modality; the reason where the data has no figure to give', () => {
    expect(missedPerEpisode(modality({ missed_counted_episodes: null, missed_rate: null }))).toEqual({
      value: null,
      reason: null,
    });
    expect(missedPerEpisode(modality({ suppressed: true, mean_attended: null }))).toEqual({
      value: null,
      reason: null,
    });
    // No episode with a missed count: the data does not say.
    expect(missedPerEpisode(modality({ missed_counted_episodes: 0, missed_rate: null }))).toEqual({
      value: null,
      reason: 'not_recorded',
    });
    // Counted episodes with no session at all, attended or missed: nothing was missed.
    expect(missedPerEpisode(modality({ missed_rate: null }))).toEqual({ value: 0, reason: null });
    // Every counted session missed: no attended session to scale.
    expect(missedPerEpisode(modality({ missed_rate: 1 }))).toEqual({ value: null, reason: 'no_attended_sessions' });
  });
});
