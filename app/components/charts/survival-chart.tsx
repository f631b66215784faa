import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { MarkerShape, SeriesLegend, seriesStyle } from './series-style';
import { titledYAxis } from './y-axis-title';

export interface SurvivalSeries {
  name: string;
  /** Share improved (1 - S(t)) after each session where something happened, 0-1. */
  curve: ReadonlyArray<{ session: number; improved: number }>;
  /** Median sessions to reliable improvement; null when the curve never reaches half. */
  median: number | null;
}

/**
 * Kaplan-Meier curves of time to reliable improvement, drawn as steps (the estimate only changes
 * at a session where someone improved), with the 50% line where each median is read.
 */
export function SurvivalChart({
  id,
  title,
  description,
  series,
}: {
  id: string;
  title: string;
  description: string;
  series: readonly SurvivalSeries[];
}) {
  const lastSession = Math.max(1, ...series.flatMap((item) => item.curve.map((point) => point.session)));
  // One row per session from 0, carrying each curve's last value forward (a step function).
  const data = Array.from({ length: lastSession + 1 }, (_, session) => {
    const row: Record<string, number> = { session };
    for (const item of series) {
      let improved = 0;
      for (const point of item.curve) if (point.session <= session) improved = point.improved;
      row[item.name] = improved * 100;
    }
    return row;
  });
  const notes = Object.fromEntries(
    series.map((item) => [item.name, item.median === null ? 'median not reached' : `median ${item.median} sessions`]),
  );
  return (
    <figure className="chart">
      <LineChart
        id={id}
        width={760}
        height={340}
        data={data}
        margin={{ top: 16, right: 24, bottom: 24, left: 8 }}
        accessibilityLayer
        title={title}
        desc={description}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="session"
          // Ticks fixed, not thinned by measured text (the server cannot measure it).
          interval={0}
          type="number"
          domain={[0, lastSession]}
          allowDecimals={false}
          label={{ value: 'Session number', position: 'insideBottom', offset: -12 }}
        />
        <YAxis interval={0} domain={[0, 100]} unit="%" {...titledYAxis('Reliably improved')} />
        <Tooltip
          formatter={(value: number) => `${value.toFixed(1)}%`}
          labelFormatter={(session) => `After session ${session}`}
        />
        <ReferenceLine
          y={50}
          stroke="#4d4d4d"
          strokeDasharray="6 3"
          label={{ value: 'half improved (median)', position: 'insideBottomRight', fontSize: 12 }}
        />
        {series.map((item, index) => {
          const style = seriesStyle(item.name, index);
          return (
            <Line
              key={item.name}
              type="stepAfter"
              dataKey={item.name}
              stroke={style.colour}
              strokeWidth={2.5}
              strokeDasharray={style.dash}
              dot={false}
              activeDot={(props: { cx?: number; cy?: number }) => (
                <MarkerShape cx={props.cx} cy={props.cy} marker={style.marker} colour={style.colour} />
              )}
              isAnimationActive={false}
            />
          );
        })}
      </LineChart>
      <figcaption>
        <SeriesLegend series={series.map((item) => item.name)} kind="line" notes={notes} />
      </figcaption>
    </figure>
  );
}
