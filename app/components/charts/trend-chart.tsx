import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { MarkerShape, seriesStyle } from './series-style';

export interface TrendPoint {
  period: string;
  /** 0-1; null when withheld. */
  rate: number | null;
  centre: number | null;
  controlLow: number | null;
  controlHigh: number | null;
}

/**
 * A p-chart of one series: the quarterly rate against its centre line and 3-sigma control limits
 * (wider in quarters with fewer patients). A quarter outside the limits is drawn hollow and
 * larger, and named in the table, so it is not told by colour.
 */
export function TrendChart({
  id,
  title,
  description,
  series,
  seriesIndex,
  points,
  rateTicks,
}: {
  id: string;
  title: string;
  description: string;
  series: string;
  seriesIndex: number;
  points: readonly TrendPoint[];
  /** The rate axis's ticks in percent, the same on every panel of a page so the panels compare (rateAxisTicks). */
  rateTicks: readonly number[];
}) {
  const style = seriesStyle(series, seriesIndex);
  const percent = (value: number | null) => (value === null ? null : value * 100);
  const data = points.map((point) => ({
    period: point.period,
    rate: percent(point.rate),
    centre: percent(point.centre),
    low: percent(point.controlLow),
    high: percent(point.controlHigh),
    outside:
      point.rate !== null &&
      point.controlLow !== null &&
      point.controlHigh !== null &&
      (point.rate < point.controlLow || point.rate > point.controlHigh),
  }));
  const tickStep = Math.max(1, Math.ceil(data.length / 6));
  return (
    <LineChart
      id={id}
      width={560}
      height={240}
      data={data}
      // Room on the right for half of the last quarter's label, which is centred on its point.
      margin={{ top: 12, right: 28, bottom: 8, left: 6 }}
      accessibilityLayer
      title={title}
      desc={description}
    >
      <CartesianGrid strokeDasharray="3 3" />
      {/* Ticks chosen here: recharts thins them by measured text width (its default) or, with a
          numeric interval, differently on the server and in the browser; either way hydration fails. */}
      <XAxis
        dataKey="period"
        tick={{ fontSize: 11 }}
        interval={0}
        ticks={data.filter((_, index) => index % tickStep === 0).map((point) => point.period)}
      />
      <YAxis domain={[rateTicks[0]!, rateTicks.at(-1)!]} ticks={[...rateTicks]} unit="%" width={48} interval={0} />
      <Tooltip formatter={(value: number) => `${value.toFixed(1)}%`} />
      {(['high', 'low'] as const).map((key) => (
        <Line
          key={key}
          dataKey={key}
          name={key === 'high' ? 'upper control limit' : 'lower control limit'}
          type="step"
          stroke="#4d4d4d"
          strokeDasharray="2 3"
          dot={false}
          isAnimationActive={false}
          connectNulls
        />
      ))}
      <Line
        dataKey="centre"
        name="centre (mean)"
        stroke="#4d4d4d"
        strokeDasharray="8 4"
        dot={false}
        isAnimationActive={false}
      />
      <Line
        dataKey="rate"
        name={series}
        stroke={style.colour}
        strokeWidth={2.5}
        strokeDasharray={style.dash}
        isAnimationActive={false}
        dot={(props: { cx?: number; cy?: number; payload?: { outside: boolean }; index?: number }) => (
          <MarkerShape
            key={props.index}
            cx={props.cx}
            cy={props.cy}
            marker={style.marker}
            colour={style.colour}
            size={props.payload?.outside ? 7 : 4}
            filled={!props.payload?.outside}
          />
        )}
      />
    </LineChart>
  );
}
