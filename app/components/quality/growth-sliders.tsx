import { MODALITIES } from '../../../db/definitions';

/**
 * The staffing plan's growth in referrals, a slider per modality. Its range is the server's
 * (GROWTH_PERCENT_RANGE, passed by the loader), so every growth the plan accepts from the address
 * sits on its slider as it is: a narrower slider would show a bookmarked 150% at its end and send
 * that end, not 150, when another input of the form changes; and a step of 1, so a bookmarked 12%
 * is not moved to 10%.
 */
export function GrowthSliders({
  growth,
  range,
}: {
  growth: Record<string, number>;
  range: { min: number; max: number };
}) {
  return (
    <fieldset className="plan-sliders">
      <legend>Growth in referrals</legend>
      {MODALITIES.map((modality) => (
        <label key={modality}>
          {modality}: <output>{growth[modality] ?? 0}%</output>
          <input
            type="range"
            name={`growth_${modality}`}
            min={range.min}
            max={range.max}
            step={1}
            defaultValue={growth[modality] ?? 0}
            aria-valuetext={`${growth[modality] ?? 0}%`}
          />
        </label>
      ))}
    </fieldset>
  );
}
