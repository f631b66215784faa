import type { AppLoadContext } from '@remix-run/node';
import { NATIONAL_BENCHMARKS } from '../../db/definitions';
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
      recovery: { value: NATIONAL_BENCHMARKS.recovery.value, label: NATIONAL_BENCHMARKS.recovery.label },
      paired_completeness: NATIONAL_BENCHMARKS.paired_completeness.label,
      mean_sessions: NATIONAL_BENCHMARKS.mean_sessions.label,
    },
    generatedAt: formatUtcMinute(new Date()),
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
