import { DEFAULT_MIN_CELL, MIN_CELL_FLOOR } from '../../db/definitions';

/**
 * The minimum cell size the server withholds below: MIN_CELL in the environment, or
 * DEFAULT_MIN_CELL. A value under the floor (or not a whole number) stops the server from
 * answering rather than quietly showing smaller groups.
 */
export function minCellSize(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MIN_CELL;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MIN_CELL;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < MIN_CELL_FLOOR) {
    throw new Error(`Invalid environment: MIN_CELL must be a whole number >= ${MIN_CELL_FLOOR}, got "${raw}"`);
  }
  return value;
}
