import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** Largest seed accepted: every bit of a safe integer seed changes the output. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

const TWO_TO_THE_32 = 2 ** 32;

/** A table of values with relative weights, for `Random.pick`. */
export interface WeightedTable<T> {
  values: readonly T[];
  /** Running totals of the weights, normalised so the last is 1. */
  cumulative: Float64Array;
}

export function weightedTable<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (!(total > 0)) throw new Error('a weighted table needs a positive total weight');
  const cumulative = new Float64Array(entries.length);
  let running = 0;
  entries.forEach(([, weight], index) => {
    running += weight;
    cumulative[index] = running / total;
  });
  return { values: entries.map(([value]) => value), cumulative };
}

/**
 * The generator's one source of randomness: pure-rand's xoroshiro128+, never Math.random or the
 * clock, so a seed always gives the same files. Draws are consumed in a fixed order; changing the
 * order of draws changes every file that follows, which is fine (no one depends on the exact bytes
 * of an old version), but the same code and seed always agree.
 */
export class Random {
  private readonly generator: RandomGenerator;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new RangeError(`seed must be a whole number from 0 to ${MAX_SEED}`);
    const low = seed % TWO_TO_THE_32;
    const high = Math.floor(seed / TWO_TO_THE_32);
    // xoroshiro wants a well-mixed state: nearby seeds would otherwise start with nearby streams.
    this.generator = xoroshiro128plusFromState([
      mix32(low ^ 0x9e3779b9),
      mix32(high ^ 0x85ebca6b),
      mix32(low + 0x632be5ab),
      mix32(high + 0x3c6ef372) | 1, // never an all-zero state
    ]);
  }

  /** Uniform in [0, 1), with 32 bits of resolution (plenty for demo data, and one draw per call). */
  float(): number {
    return (this.generator.next() >>> 0) / TWO_TO_THE_32;
  }

  /** Uniform whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  uniform(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  /** Standard normal deviate (Box-Muller; the second deviate of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.float()));
    const angle = 2 * Math.PI * this.float();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** A normal deviate with this mean and sd, rounded and held inside [min, max]. */
  roundedNormal(mean: number, sd: number, min: number, max: number): number {
    return clamp(Math.round(mean + sd * this.normal()), min, max);
  }

  pick<T>(table: WeightedTable<T>): T {
    const target = this.float();
    const { cumulative, values } = table;
    for (let index = 0; index < cumulative.length - 1; index++) {
      if (target < cumulative[index]!) return values[index]!;
    }
    return values[values.length - 1]!;
  }

  /** One element of a non-empty array, uniformly. */
  element<T>(values: readonly T[]): T {
    return values[Math.floor(this.float() * values.length)]!;
  }
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** MurmurHash3's 32-bit finaliser: spreads every input bit over the whole word. */
function mix32(value: number): number {
  let hash = value | 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}
