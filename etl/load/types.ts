import type { Warehouse } from '../../db/connection';
import type { LoadStep } from './load-clock';

/** The files a load reads from its folder (the data contract, etl/files/contract.ts). */
export type SourceFile = 'episodes.csv' | 'measures.csv' | 'clinicians.csv';

/** One rejected row: reported to the user and kept in etl_rejection with its run. */
export interface Rejection {
  file: SourceFile;
  /** 1-based physical line where the record starts (the header is line 1). */
  line: number;
  /** The column at fault, as named in the file's header; null for whole-row faults. */
  column: string | null;
  reason: string;
  /**
   * The offending value's masked shape (etl/files/value-shape.ts: digits 9, letters A/a, the length),
   * never its characters; null for identifier columns and whole-row faults.
   */
  value: string | null;
}

export interface FileSummary {
  file: SourceFile;
  sha256: string;
  bytes: number;
  /** Data records read (the header not counted). */
  read: number;
  loaded: number;
  rejected: number;
}

export type LoadProgress =
  | { phase: 'read'; file: SourceFile; bytesRead: number; bytesTotal: number; rows: number }
  | { phase: 'check' | 'upsert' | 'derive' | 'commit'; detail: string };

export interface LoadOptions {
  warehouse: Warehouse;
  folder: string;
  /** Secret for HMAC-SHA256 pseudonyms (etl/pseudonym-key.ts). */
  pseudonymKey: string;
  /** Validate and report, write nothing but the run record. */
  dryRun?: boolean;
  /**
   * Each episode whose row is in this load keeps exactly the scores this load gives it (stored
   * scores it leaves out are removed), to retract scores dropped from a corrected export. Off by
   * default: loads are additive per score, as incremental exports need (ADR 003).
   */
  replaceScores?: boolean;
  /** Refuse the whole load when a file has more than this share of its rows rejected (0.02). */
  maxRejectRate?: number;
  onProgress?: (progress: LoadProgress) => void;
  onWarning?: (message: string) => void;
  /**
   * Aborted to stop the load (Ctrl-C): it stops before its next statement or file chunk, rolls
   * back, records the run as interrupted and throws LoadInterrupted. The abort's reason names why.
   */
  signal?: AbortSignal;
}

export interface LoadResult {
  runId: number;
  dryRun: boolean;
  files: FileSummary[];
  /** Every rejection, in file and line order. */
  rejections: Rejection[];
  warnings: string[];
  /** Episodes whose outcome facts were (re)derived. */
  episodesDerived: number;
  /** Stored scores removed by replaceScores (0 without it, and on a dry run). */
  scoresRemoved: number;
  /** How outcome_cell was brought up to date (db/load/refresh-outcome-cells.ts); absent on a dry run. */
  outcomeCells?: 'none' | 'delta' | 'rewrite';
  /** How intake_cell was brought up to date (db/load/refresh-intake-cells.ts); absent on a dry run. */
  intakeCells?: 'none' | 'delta' | 'rewrite';
  /** How quasi_identifier_class was (db/load/refresh-quasi-identifier-classes.ts); absent on a dry run. */
  quasiIdentifierClasses?: 'none' | 'delta' | 'rewrite';
  /** Wall time of each step of the load, with the statements it ran (load-clock.ts). */
  steps: LoadStep[];
}

/**
 * A load refused whole: nothing was written but the run record (status 'refused') and, when rows
 * were judged before the refusal, their rejections.
 */
export class LoadRefused extends Error {
  constructor(
    message: string,
    readonly details: {
      runId: number | null;
      file?: SourceFile;
      line?: number;
      column?: string;
      rejections?: Rejection[];
    },
  ) {
    super(message);
    this.name = 'LoadRefused';
  }
}

/**
 * A load stopped on request (LoadOptions.signal) before it committed: rolled back, nothing of it
 * kept, its run recorded as interrupted.
 */
export class LoadInterrupted extends Error {
  constructor(
    message: string,
    readonly runId: number | null,
    /** The statement the stop cancelled on the server, when it stopped one. */
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LoadInterrupted';
  }
}
