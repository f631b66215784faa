import { describe, expect, test } from 'vitest';
import { bandRanges, INSTRUMENTS, SEVERITY_BANDS, severityBandsOf } from '../../db/definitions';

describe('baseline severity bands', () => {
  test("every band of both instruments, mildest first: the PHQ-9's, which hold the GAD-7's in the same order", () => {
    expect(SEVERITY_BANDS).toEqual(['minimal', 'mild', 'moderate', 'moderately_severe', 'severe']);
    for (const instrument of INSTRUMENTS) {
      const bands = severityBandsOf(instrument);
      expect(
        bands.every((band) => SEVERITY_BANDS.includes(band)),
        instrument,
      ).toBe(true);
      const positions = bands.map((band) => SEVERITY_BANDS.indexOf(band));
      expect(positions, instrument).toEqual([...positions].sort((a, b) => a - b));
    }
    expect(severityBandsOf('GAD-7')).toEqual(['minimal', 'mild', 'moderate', 'severe']);
    // Two baselines, no one band.
    expect(severityBandsOf('combined')).toEqual([]);
  });

  test("each band's range runs to the next band's lowest less 1, the last to the highest given", () => {
    expect(
      bandRanges(
        [
          ['minimal', 0],
          ['mild', 5],
          ['severe', 15],
        ],
        21,
      ),
    ).toEqual([
      { band: 'minimal', lowest: 0, highest: 4 },
      { band: 'mild', lowest: 5, highest: 14 },
      { band: 'severe', lowest: 15, highest: 21 },
    ]);
    expect(bandRanges([['90+', 90]], null)).toEqual([{ band: '90+', lowest: 90, highest: null }]);
  });
});
