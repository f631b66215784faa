import { ROLE_LABELS, ROLES, type Role } from '../../db/access';

/**
 * Role and locations for a new account or token. Locations limit leadership and director only;
 * none ticked means every location.
 */
export function AccessFields({
  idPrefix,
  locations,
  defaultRole = 'leadership',
  defaultLocations = [],
}: {
  idPrefix: string;
  locations: string[];
  defaultRole?: Role;
  defaultLocations?: string[] | null;
}) {
  return (
    <>
      <label htmlFor={`${idPrefix}-role`}>Role</label>
      <select id={`${idPrefix}-role`} name="role" defaultValue={defaultRole}>
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </select>
      <fieldset className="location-choices" aria-describedby={`${idPrefix}-locations-hint`}>
        <legend>Locations</legend>
        <p className="hint" id={`${idPrefix}-locations-hint`}>
          For leadership and directors only; none ticked means every location. Quality and administrators always see
          every location.
        </p>
        {locations.length === 0 ? <p className="hint">No locations are loaded yet.</p> : null}
        {locations.map((location) => (
          <label key={location} className="checkbox">
            <input
              type="checkbox"
              name="locations"
              value={location}
              defaultChecked={defaultLocations?.includes(location) ?? false}
            />{' '}
            {location}
          </label>
        ))}
      </fieldset>
    </>
  );
}
