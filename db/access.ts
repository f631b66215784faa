/**
 * Roles and what each may see (issue 3). Pure data, so the server's checks, the navigation and
 * the tests all read the same table. Checked on the server: app/utils/auth.server.ts.
 */
export const ROLES = ['leadership', 'director', 'quality', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  leadership: 'Leadership',
  director: 'Clinic director',
  quality: 'Quality team',
  admin: 'Administrator',
};

/** Kinds of resource a role may or may not reach; every route checks one of these. */
export const CAPABILITIES = [
  // Overview, comparisons, treatment length, trends, staffing: aggregates only.
  'aggregate_views',
  // Location and clinician funnel plots (clinicians by pseudonym).
  'clinician_units',
  // Data-quality pages, de-identified episode lists, ETL runs and rejections.
  'data_quality',
  'audit_log',
  'manage_accounts',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

const GRANTS: Record<Role, readonly Capability[]> = {
  leadership: ['aggregate_views'],
  director: ['aggregate_views', 'clinician_units'],
  quality: ['aggregate_views', 'clinician_units', 'data_quality', 'audit_log'],
  admin: CAPABILITIES,
};

export function roleCan(role: Role, capability: Capability): boolean {
  return GRANTS[role].includes(capability);
}

/** The roles that hold a capability, for `requireUser(..., { roles })`. */
export function rolesThatCan(capability: Capability): Role[] {
  return ROLES.filter((role) => roleCan(role, capability));
}

/**
 * Whether an account of this role can be limited to some locations. Quality and admin see every
 * location by definition; leadership and director may be limited (the issue names directors;
 * limiting leadership only ever shows less).
 */
export function roleTakesLocations(role: Role): boolean {
  return role === 'leadership' || role === 'director';
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
