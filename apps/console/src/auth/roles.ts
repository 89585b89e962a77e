import { SetMetadata } from '@nestjs/common';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** viewer < operator < admin: a role may do everything the ones before it may. */
export function hasRole(actual: Role, needed: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(needed);
}

export const ROLE_KEY = 'vigil:role';
export const PUBLIC_KEY = 'vigil:public';

/** The least role a route needs (default: viewer, i.e. any signed-in user). */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);
/** A route anyone may call without signing in (login, first-run set-up, health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
}
