import { MODALITIES, type Modality } from '../../db/definitions';
import { FTE_CHOICES, LOCATIONS } from './clinic-profile';
import { clamp, type Random, weightedTable } from './random';

/** One clinician per this many episodes (over the three years the demo covers). */
const EPISODES_PER_CLINICIAN = 150;
/** Every site has at least this many clinicians, so that between them they practise every modality. */
const MIN_CLINICIANS_PER_LOCATION = 3;
/** The first clinicians of each site practise these, so every site offers every modality. */
const COVERING_MODALITIES: ReadonlyArray<readonly Modality[]> = [
  ['IPT', 'CBT'],
  ['CBT', 'IPSRT', 'IPT'],
  ['DIT', 'other', 'CBT'],
];
const MAIN_MODALITY = weightedTable<Modality>([
  ['IPT', 35],
  ['CBT', 45],
  ['IPSRT', 8],
  ['DIT', 7],
  ['other', 5],
]);
/** Chance that a clinician also practises each modality besides their main one. */
const SECOND_MODALITY_CHANCE: Record<Modality, number> = { IPT: 0.3, CBT: 0.4, IPSRT: 0.08, DIT: 0.1, other: 0.15 };

export interface Clinician {
  id: string;
  locationIndex: number;
  modalities: readonly Modality[];
  fte: string;
  /** Multiplies the expected improvement of their clients: clinicians differ, modestly. */
  improvement: number;
  /** Share of sessions at which they record the measures. */
  recordingRate: number;
}

export interface Staff {
  clinicians: readonly Clinician[];
  /** A clinician at this site who practises this modality, busier for a higher fte. */
  assign(locationIndex: number, modality: Modality, random: Random): Clinician;
}

export function hireStaff(options: { episodes: number; random: Random }): Staff {
  const { random } = options;
  const total = Math.max(
    MIN_CLINICIANS_PER_LOCATION * LOCATIONS.length,
    Math.round(options.episodes / EPISODES_PER_CLINICIAN),
  );
  const idWidth = Math.max(4, String(total * 2).length);
  const clinicians: Clinician[] = [];
  LOCATIONS.forEach((location, locationIndex) => {
    const count = Math.max(MIN_CLINICIANS_PER_LOCATION, Math.round(total * location.share));
    for (let index = 0; index < count; index++) {
      clinicians.push({
        // Gaps in the numbering, as staff come and go.
        id: `T${String(clinicians.length * 2 + random.int(1, 2)).padStart(idWidth, '0')}`,
        locationIndex,
        modalities: COVERING_MODALITIES[index] ?? practisedModalities(random),
        fte: random.pick(FTE_CHOICES),
        improvement: clamp(1 + 0.1 * random.normal(), 0.7, 1.3),
        recordingRate: random.uniform(0.55, 0.85),
      });
    }
  });

  // One pool per site and modality, each clinician entered once per 0.2 fte.
  const pools = LOCATIONS.map(() => new Map<Modality, Clinician[]>(MODALITIES.map((modality) => [modality, []])));
  for (const clinician of clinicians) {
    const weight = Math.max(1, Math.round(Number(clinician.fte) * 5));
    for (const modality of clinician.modalities) {
      const pool = pools[clinician.locationIndex]!.get(modality)!;
      for (let copy = 0; copy < weight; copy++) pool.push(clinician);
    }
  }
  return {
    clinicians,
    assign(locationIndex, modality, random) {
      return random.element(pools[locationIndex]!.get(modality)!);
    },
  };
}

function practisedModalities(random: Random): Modality[] {
  const main = random.pick(MAIN_MODALITY);
  return [
    main,
    ...MODALITIES.filter((modality) => modality !== main && random.chance(SECOND_MODALITY_CHANCE[modality])),
  ];
}
