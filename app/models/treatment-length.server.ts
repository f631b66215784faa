import type { AppLoadContext } from '@remix-run/node';
import { outcomeColumns, outcomeCsvNotes } from '~/utils/figure-columns';
import { formatUtcMinute } from '~/utils/format';
import {
  noSessionsBandNote,
  sessionsAttended,
  sessionsAttendedColumns,
  sessionsAttendedWithheld,
} from '~/utils/sessions-attended';
import { survivalColumns } from '~/utils/survival-columns';
import { csvDownload } from './csv-export.server';
import type { DashboardView } from './dashboard-view.server';
import { metricChoice, outcomesBy, timeToImprovementBy } from './figures.server';

export async function treatmentLengthFigures(context: AppLoadContext, view: DashboardView) {
  const [byLength, survival] = await Promise.all([
    outcomesBy(context, view, ['length_band', 'modality']),
    timeToImprovementBy(context, view, ['modality']),
  ]);
  return {
    ...metricChoice(view, 'reliable_improvement'),
    byLength,
    survival,
    generatedAt: formatUtcMinute(new Date()),
  };
}

export async function treatmentLengthCsv(context: AppLoadContext, view: DashboardView): Promise<Response> {
  const { byLength, survival, defined } = await treatmentLengthFigures(context, view);
  if (view.url.searchParams.get('table') === 'survival') {
    return csvDownload({
      context,
      view,
      page: 'time-to-improvement',
      title: `Therapy outcomes: time to reliable improvement by modality (${survival.instrument})`,
      columns: survivalColumns(),
      rows: survival.rows,
      notes: [`Kaplan-Meier over paired episodes; groups under ${survival.min_cell} episodes withheld`],
    });
  }
  if (view.url.searchParams.get('table') === 'attended') {
    const attended = sessionsAttended(byLength.rows);
    return csvDownload({
      context,
      view,
      page: 'sessions-attended',
      title: 'Therapy outcomes: episodes by band of attended sessions and modality',
      columns: sessionsAttendedColumns(attended.modalities),
      rows: attended.rows,
      notes: [`Episodes per band (rows) and modality (columns); ${sessionsAttendedWithheld(byLength.min_cell).rule}`],
    });
  }
  const noSessionsNote = noSessionsBandNote(byLength.rows, byLength.min_cell);
  return csvDownload({
    context,
    view,
    page: 'treatment-length',
    title: 'Therapy outcomes: outcomes by treatment length and modality',
    columns: outcomeColumns(['length_band', 'modality'], defined),
    rows: byLength.rows,
    notes: [...outcomeCsvNotes(byLength.min_cell, defined), ...(noSessionsNote ? [noSessionsNote] : [])],
  });
}
