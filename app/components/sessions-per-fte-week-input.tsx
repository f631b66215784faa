import { STAFFING_RULES } from '../../db/definitions';

/**
 * The `spw` input of the capacity and plan forms: sessions in a week worked, in its one range (from
 * db/definitions.ts, not staffing.server.ts: a .server module is empty in the browser).
 */
export function SessionsPerFteWeekInput({ value }: { value: number }) {
  const { min, max } = STAFFING_RULES.sessionsPerFteWeekRange;
  return (
    <label>
      Sessions per FTE-week worked{' '}
      <input type="number" name="spw" min={min} max={max} step={0.5} defaultValue={value} />
    </label>
  );
}
