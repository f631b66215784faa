import type { AppLoadContext } from '@remix-run/node';
import { NATIONAL_BENCHMARKS, type OutcomeInstrument } from '../../db/definitions';
import { definedFigures } from '../../db/queries/outcome-query';
import { outcomeColumns, outcomeCsvNotes } from '~/utils/figure-columns';
import { formatUtcMinute } from '~/utils/format';
import { csvDownload } from './csv-export.server';
import type { DashboardView } from './dashboard-view.server';
import { outcomesBy } from './figures.server';

/** The Overview's figures: the filtered population, one row per modality. */
export async function overviewFigures(context: AppLoadContext, view: DashboardView) {
  const result = await outcomesBy(context, view, ['modality']);
  return {
    result,
    defined: definedFigures(view.filters.instrument),
    benchmarks: {
      recovery: recoveryBenchmark(view.filters.instrument),
      paired_completeness: NATIONAL_BENCHMARKS.paired_completeness.label,
      mean_sessions: NATIONAL_BENCHMARKS.mean_sessions.label,
    },
    generatedAt: formatUtcMinute(new Date()),
  };
}

/**
 * The national recovery rate where it can be read against the page's recovery (the instrument it
 * is measured on, NHS combined), else null and, for the page to say, what to choose to compare.
 */
export function recoveryBenchmark(
  instrument: OutcomeInstrument,
): { value: number; label: string; note: null } | { value: null; label: null; note: string } {
  const { value, label, instrument: measuredOn } = NATIONAL_BENCHMARKS.recovery;
  if (instrument === measuredOn) return { value, label, note: null };
  return {
    value: null,
    label: null,
    note: `${label} is measured on the NHS combined definition (below caseness on both the PHQ-9 and the GAD-7 at the end), so it is not drawn beside recovery on the ${instrument} alone: choose "PHQ-9 and GAD-7 combined (NHS)" as the instrument to compare with it.`,
  };
}

export async function overviewCsv(context: AppLoadContext, view: DashboardView): Promise<Response> {
  const { result, defined } = await overviewFigures(context, view);
  return csvDownload({
    context,
    view,
    page: 'overview',
    title: 'Therapy outcomes: overview by modality',
    columns: outcomeColumns(['modality'], defined),
    rows: result.rows,
    notes: outcomeCsvNotes(result.min_cell, defined),
  });
}
