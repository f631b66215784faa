import type {
  DefinedFigures,
  OutcomeFigure,
  OutcomeRow,
  PageOutcomeRow,
  ProportionFigure,
} from '~/utils/outcome-types';
import { noFigureWords } from '~/utils/figure-columns';
import { formatCount, formatDecimal, formatInterval, formatPercent, WITHHELD } from '~/utils/format';
import { seriesStyle } from './charts/series-style';
import { MethodsLink } from './page-states';

export interface CardBenchmarks {
  /** Null where the national rate is on another definition than the card's recovery. */
  recovery: string | null;
  paired_completeness: string;
  mean_sessions: string;
}

/** One modality at a glance: how many, how many got better, how sure we are. */
export function ModalityCard({
  modality,
  index,
  row,
  instrument,
  defined,
  minCell,
  benchmarks,
}: {
  modality: string;
  index: number;
  row: PageOutcomeRow;
  instrument: string;
  /** The figures the instrument defines: under the combined definition, no response, change or sessions. */
  defined: DefinedFigures;
  minCell: number;
  benchmarks: CardBenchmarks;
}) {
  const style = seriesStyle(modality, index);
  const titleId = `card-${modality.replace(/\W+/g, '-')}`;
  if (row.suppressed) {
    return (
      <section
        className="card"
        aria-labelledby={titleId}
        style={{ '--series-colour': style.colour } as React.CSSProperties}
      >
        <h3 id={titleId}>{modality}</h3>
        <p className="withheld">
          Withheld: fewer than {minCell} patients in the outcome cohort.{' '}
          <MethodsLink anchor="small-cells">Why</MethodsLink>
        </p>
      </section>
    );
  }
  return (
    <section
      className="card"
      aria-labelledby={titleId}
      style={{ '--series-colour': style.colour } as React.CSSProperties}
    >
      <h3 id={titleId}>{modality}</h3>
      <p className="card-n">
        <strong>n = {formatCount(row.outcome_cohort ?? 0)}</strong> in the outcome cohort{' '}
        <span className="detail">
          ({formatCount(row.finished ?? 0)} finished treatment, {formatCount(row.episodes ?? 0)} episodes)
        </span>
      </p>
      <dl>
        <Rate
          label="Recovery"
          anchor="recovery"
          figure={row.recovery}
          missing={<NoFigure row={row} figure="recovery" />}
        />
        {benchmarks.recovery ? <dd className="benchmark">{benchmarks.recovery} (reference)</dd> : null}
        <Rate
          label="Reliable improvement"
          anchor="reliable-improvement"
          figure={row.reliable_improvement}
          missing={<NoFigure row={row} figure="reliable_improvement" />}
        />
        {defined.proportions.includes('response') ? (
          <Rate
            label="Response"
            anchor="response"
            figure={row.response}
            missing={<NoFigure row={row} figure="response" />}
          />
        ) : null}
        {defined.scores ? <ScoreFigures row={row} instrument={instrument} benchmarks={benchmarks} /> : null}
      </dl>
    </section>
  );
}

/** Mean change, sessions and paired scores: figures of one instrument, which the combined definition lacks. */
function ScoreFigures({
  row,
  instrument,
  benchmarks,
}: {
  row: OutcomeRow;
  instrument: string;
  benchmarks: CardBenchmarks;
}) {
  return (
    <>
      <dt>
        <MethodsLink anchor="mean-change">{instrument} change (mean)</MethodsLink>
      </dt>
      <dd>
        {row.mean_change ? (
          <>
            {formatDecimal(row.mean_change.value)} points
            {row.mean_change.ci_low !== null && row.mean_change.ci_high !== null ? (
              <span className="figure-detail">
                95% CI {formatInterval(row.mean_change.ci_low, row.mean_change.ci_high, formatDecimal)}
              </span>
            ) : null}
          </>
        ) : (
          <span className="withheld">withheld</span>
        )}
      </dd>
      <dt>Sessions (mean)</dt>
      <dd>
        {row.mean_sessions === null ? <span className="withheld">withheld</span> : formatDecimal(row.mean_sessions)}
      </dd>
      <dd className="benchmark">{benchmarks.mean_sessions} (reference)</dd>
      <dt>
        <MethodsLink anchor="paired-completeness">Paired scores</MethodsLink>
      </dt>
      <dd>
        {row.paired_completeness === null ? (
          <span className="withheld">withheld</span>
        ) : (
          formatPercent(row.paired_completeness)
        )}
      </dd>
      <dd className="benchmark">{benchmarks.paired_completeness} (reference)</dd>
    </>
  );
}

/** A rate without a value: why, when no one is in its denominator (none at caseness); else withheld. */
function NoFigure({ row, figure }: { row: PageOutcomeRow; figure: OutcomeFigure }) {
  const words = noFigureWords(row, figure);
  return words ? <span>{words}</span> : <span className="withheld">{WITHHELD}</span>;
}

function Rate({
  label,
  anchor,
  figure,
  missing,
}: {
  label: string;
  anchor: string;
  figure: ProportionFigure | null;
  /** What the card shows when the rate has no value. */
  missing: React.ReactNode;
}) {
  return (
    <>
      <dt>
        <MethodsLink anchor={anchor}>{label}</MethodsLink>
      </dt>
      <dd>
        {figure && figure.rate !== null ? (
          <>
            {formatPercent(figure.rate)}
            <span className="figure-detail">
              {figure.ci_low !== null && figure.ci_high !== null
                ? `95% CI ${formatInterval(figure.ci_low, figure.ci_high, (bound) => formatPercent(bound, { bare: true }))} · `
                : ''}
              {formatCount(figure.count)}/{formatCount(figure.denominator)}
            </span>
          </>
        ) : (
          missing
        )}
      </dd>
    </>
  );
}
