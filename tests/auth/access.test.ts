import { describe, expect, test } from 'vitest';
import { accessScope, assertLocationsAllowed, type Principal } from '../../app/utils/auth.server';
import { CAPABILITIES, type Role, roleCan, ROLES, rolesThatCan } from '../../db/access';

const principal = (role: Role, locations: string[] | null = null): Principal => ({
  kind: 'user',
  id: 'p',
  name: `${role}@x.org`,
  role,
  locations,
});

/** Issue 3's table of roles, written out by hand: a role may do exactly what is ticked. */
const EXPECTED: Record<Role, Record<(typeof CAPABILITIES)[number], boolean>> = {
  leadership: {
    aggregate_views: true,
    clinician_units: false,
    data_quality: false,
    audit_log: false,
    manage_accounts: false,
  },
  director: {
    aggregate_views: true,
    clinician_units: true,
    data_quality: false,
    audit_log: false,
    manage_accounts: false,
  },
  quality: {
    aggregate_views: true,
    clinician_units: true,
    data_quality: true,
    audit_log: true,
    manage_accounts: false,
  },
  admin: { aggregate_views: true, clinician_units: true, data_quality: true, audit_log: true, manage_accounts: true },
};

async function statusOf(thrown: () => void): Promise<number | 'none'> {
  try {
    thrown();
    return 'none';
  } catch (error) {
    if (!(error instanceof Response)) throw error;
    expect(error.headers.get('content-type')).toMatch(/application\/json/);
    expect(await error.json()).toMatchObject({ error: 'forbidden' });
    return error.status;
  }
}

describe('roles', () => {
  test('each role holds exactly the capabilities of the issue', () => {
    for (const role of ROLES) {
      for (const capability of CAPABILITIES)
        expect(roleCan(role, capability), `${role} ${capability}`).toBe(EXPECTED[role][capability]);
    }
    expect(rolesThatCan('audit_log')).toEqual(['quality', 'admin']);
    expect(rolesThatCan('manage_accounts')).toEqual(['admin']);
  });

  test('access scope: clinician units for director and up; location limits only for leadership and director', () => {
    expect(accessScope(principal('leadership'))).toEqual({ locations: null, clinicianUnits: false });
    expect(accessScope(principal('leadership', ['Loop']))).toEqual({ locations: ['Loop'], clinicianUnits: false });
    expect(accessScope(principal('director', ['Evanston']))).toEqual({ locations: ['Evanston'], clinicianUnits: true });
    expect(accessScope(principal('director'))).toEqual({ locations: null, clinicianUnits: true });
    // A location list on a quality or admin principal (which the database refuses anyway) limits nothing.
    expect(accessScope(principal('quality', ['Loop']))).toEqual({ locations: null, clinicianUnits: true });
    expect(accessScope(principal('admin', ['Loop']))).toEqual({ locations: null, clinicianUnits: true });
  });

  test('URL tampering: a director of Evanston asking for another location gets 403, asking for Evanston passes', async () => {
    const director = principal('director', ['Evanston']);
    await expect(statusOf(() => assertLocationsAllowed(director, ['Evanston']))).resolves.toBe('none');
    await expect(statusOf(() => assertLocationsAllowed(director, []))).resolves.toBe('none');
    await expect(statusOf(() => assertLocationsAllowed(director, ['Loop']))).resolves.toBe(403);
    await expect(statusOf(() => assertLocationsAllowed(director, ['Evanston', 'Loop']))).resolves.toBe(403);
    // Case and spacing are not a way round: locations match exactly as loaded.
    await expect(statusOf(() => assertLocationsAllowed(director, ['evanston']))).resolves.toBe(403);
    for (const role of ['quality', 'admin'] as const) {
      await expect(statusOf(() => assertLocationsAllowed(principal(role), ['Loop', 'Online']))).resolves.toBe('none');
    }
  });
});
