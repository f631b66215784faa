import { Bar, BarChart, CartesianGrid, ErrorBar, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { SeriesLegend, seriesStyle } from './series-style';
import { titledYAxis } from './y-axis-title';

/** One bar: a rate (0-1) with its 95% interval; rate null when withheld (no bar is drawn). */
export interface RateBar {
  category: string;
  series: string;
  rate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Why a bar without a rate has none when it is not withheld ("None at caseness"). */
  empty?: string;
}

export interface ReferenceValue {
  /** 0-1. */
  value: number;
  label: string;
  /** Drawn over this category only (a benchmark of one metric); across the chart when absent. */
  category?: string;
  /** What the line is, after its label in the caption; a national benchmark unless said. */
  meaning?: string;
}

/**
 * Grouped bars of rates with their 95% intervals as whiskers: one group per category, one bar
 * per series (modality). The numbers are in the table beside it; a withheld rate has no bar and
 * says so under the chart.
 */
export function RateBarsChart({
  id,
  title,
  description,
  bars,
  categories,
  series,
  yLabel,
  references = [],
  scale = 'share',
  withheldReason = 'fewer patients than the minimum',
}: {
  id: string;
  title: string;
  description: string;
  bars: readonly RateBar[];
  categories: readonly string[];
  series: readonly string[];
  yLabel: string;
  references?: readonly ReferenceValue[];
  /** `share`: rates 0-1 drawn as percentages; `count`: plain counts (no interval). */
  scale?: 'share' | 'count';
  /** Why a bar is withheld, after "No bar (withheld, ". */
  withheldReason?: string;
}) {
  const toAxis = scale === 'share' ? (value: number) => value * 100 : (value: number) => value;
  const data = categories.map((category) => {
    const row: Record<string, unknown> = { category };
    for (const name of series) {
      const bar = bars.find((item) => item.category === category && item.series === name);
      if (!bar || bar.rate === null) continue;
      row[name] = toAxis(bar.rate);
      // ErrorBar takes distances below and above the value.
      if (bar.ciLow !== null && bar.ciHigh !== null) {
        row[`${name}__interval`] = [toAxis(bar.rate - bar.ciLow), toAxis(bar.ciHigh - bar.rate)];
      }
    }
    return row;
  });
  const withheld = bars.filter((bar) => bar.rate === null && !bar.empty);
  // Bars over no one, by why: named apart from the withheld ones, which hide small groups.
  const empty = new Map<string, string[]>();
  for (const bar of bars) {
    if (bar.rate !== null || !bar.empty) continue;
    empty.set(bar.empty, [...(empty.get(bar.empty) ?? []), `${bar.series} ${bar.category}`]);
  }
  // A modality with no episodes in a category has no row at all: said, so an empty place is not
  // read as a rate of 0 (which has a bar of no height too, but a whisker).
  const absent = categories.flatMap((category) =>
    series
      .filter((name) => !bars.some((bar) => bar.category === category && bar.series === name))
      .map((name) => `${name} ${category}`),
  );
  const wide = categories.length * series.length > 18;
  return (
    <figure className="chart">
      <BarChart
        id={id}
        width={wide ? 1100 : 760}
        height={340}
        data={data}
        margin={{ top: 16, right: 16, bottom: 24, left: 8 }}
        accessibilityLayer
        title={title}
        desc={description}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="category" interval={0} tick={{ fontSize: 12 }} />
        <YAxis
          interval={0}
          domain={scale === 'share' ? [0, 100] : [0, 'auto']}
          unit={scale === 'share' ? '%' : undefined}
          {...titledYAxis(yLabel)}
        />
        <Tooltip formatter={(value: number) => (scale === 'share' ? `${value.toFixed(1)}%` : String(value))} />
        {series.map((name, index) => {
          const style = seriesStyle(name, index);
          return (
            <Bar
              key={name}
              dataKey={name}
              name={name}
              fill={`url(#${style.patternId})`}
              stroke={style.colour}
              isAnimationActive={false}
            >
              <ErrorBar dataKey={`${name}__interval`} width={4} strokeWidth={1.5} stroke="#1a1a1a" direction="y" />
            </Bar>
          );
        })}
        {references.map((reference) =>
          reference.category ? (
            // A zero-height area spans exactly the category's band. Recharts draws no rectangle of
            // height 0, so the line across the band is drawn here from the area's place.
            <ReferenceArea
              key={reference.label}
              x1={reference.category}
              x2={reference.category}
              y1={toAxis(reference.value)}
              y2={toAxis(reference.value)}
              ifOverflow="visible"
              // Over the bars, so the benchmark reads where a bar rises past it.
              isFront
              shape={(area: { x?: number; y?: number; width?: number }) => (
                <line
                  className="reference-line"
                  x1={area.x}
                  x2={(area.x ?? 0) + (area.width ?? 0)}
                  y1={area.y}
                  y2={area.y}
                  stroke="#1a1a1a"
                  strokeDasharray="6 3"
                  strokeWidth={1.5}
                />
              )}
            />
          ) : (
            <ReferenceLine
              key={reference.label}
              y={toAxis(reference.value)}
              stroke="#4d4d4d"
              strokeDasharray="6 3"
              // A white halo keeps the words legible where they cross a bar.
              label={{
                value: reference.label,
                position: 'insideTopRight',
                fontSize: 12,
                fill: '#1a1a1a',
                stroke: '#ffffff',
                strokeWidth: 3,
                paintOrder: 'stroke',
              }}
            />
          ),
        )}
      </BarChart>
      <figcaption>
        <SeriesLegend series={series} kind="bar" />
        <span className="detail">
          {scale === 'share' ? 'Whiskers: 95% confidence interval. ' : null}
          {references.map((reference) => (
            <span key={reference.label}>
              Dashed line{reference.category ? ` over ${reference.category}` : ''}: {reference.label},{' '}
              {reference.meaning ?? 'a national benchmark for reference, not a target'}.{' '}
            </span>
          ))}
          {withheld.length > 0
            ? `No bar (withheld, ${withheldReason}): ${withheld.map((bar) => `${bar.series} ${bar.category}`).join(', ')}.`
            : null}
          {[...empty].map(([why, names]) => ` No bar (${why.toLowerCase()}): ${names.join(', ')}.`).join('')}
          {absent.length > 0 ? ` No bar (no episodes): ${absent.join(', ')}.` : null}
        </span>
      </figcaption>
    </figure>
  );
}
