import { CartesianGrid, ComposedChart, Customized, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { placeLabels } from '~/utils/label-placement';
import { useHydrated } from '~/utils/use-hydrated';
import { funnelRateTicks, roundTicks } from '~/utils/chart-data';
import { formatCount } from '~/utils/format';
import { MarkerShape } from './series-style';
import { titledYAxis } from './y-axis-title';

export interface FunnelPoint {
  unit: string;
  denominator: number;
  /** Case-mix adjusted rate, 0-1. */
  rate: number;
  position: 'below' | 'within' | 'above';
}

/** Control limits around the overall rate at each denominator, 0-1 (computed on the server). */
export interface FunnelCurvePoint {
  denominator: number;
  l95: number;
  u95: number;
  l998: number;
  u998: number;
}

// Position is told by shape and words, colour only repeats it.
const POSITION_STYLE = {
  within: { marker: 'circle', colour: '#0072B2', label: 'within the 99.8% limits' },
  above: { marker: 'triangle', colour: '#009E73', label: 'above the 99.8% limits' },
  below: { marker: 'square', colour: '#D55E00', label: 'below the 99.8% limits' },
} as const;

const LIMIT_LINES = [
  { label: '99.8% limits', dash: undefined },
  { label: '95% limits', dash: '5 4' },
];

/**
 * Funnel plot (Spiegelhalter 2005): each unit's adjusted rate against its number of patients,
 * with 95% (dashed) and 99.8% (solid) limits around the overall rate. Units are placed, not
 * ranked: a point outside the 99.8% funnel is worth a conversation, one inside is not.
 */
export function FunnelChart({
  id,
  title,
  description,
  points,
  curve,
  overallRate,
  labelPoints,
  withheld = null,
}: {
  id: string;
  title: string;
  description: string;
  points: readonly FunnelPoint[];
  curve: readonly FunnelCurvePoint[];
  overallRate: number;
  /** Names beside the points (locations); clinicians' pseudonyms would only clutter. */
  labelPoints: boolean;
  /** The units not plotted because they are withheld, in words (funnelWithheldNote); null for none. */
  withheld?: string | null;
}) {
  const percent = (value: number) => value * 100;
  const limits = curve.map((point) => ({
    denominator: point.denominator,
    l95: percent(point.l95),
    u95: percent(point.u95),
    l998: percent(point.l998),
    u998: percent(point.u998),
  }));
  const ticks = roundTicks(Math.max(10, ...curve.map((point) => point.denominator)));
  const plotted = points.map((point) => ({ ...point, rate: percent(point.rate) }));
  const rateTicks = funnelRateTicks({ rates: plotted, overall: percent(overallRate), limits });
  const hydrated = useHydrated();
  return (
    <figure className="chart">
      {hydrated ? (
        <ComposedChart
          id={id}
          width={760}
          height={380}
          // Room on the right for the overall rate's label, beyond the plot where no point can sit under it.
          margin={{ top: 16, right: 92, bottom: 28, left: 8 }}
          accessibilityLayer
          title={title}
          desc={description}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="denominator"
            // Ticks fixed, not thinned by measured text (the server cannot measure it).
            interval={0}
            type="number"
            domain={[0, ticks.at(-1)!]}
            ticks={ticks}
            tickFormatter={(value: number) => formatCount(value)}
            allowDecimals={false}
            label={{ value: 'Patients in the denominator', position: 'insideBottom', offset: -14 }}
          />
          <YAxis
            interval={0}
            type="number"
            domain={[rateTicks[0]!, rateTicks.at(-1)!]}
            ticks={rateTicks}
            // The limits at the smallest denominators run off the zoomed axis: clipped, not drawn over the frame.
            allowDataOverflow
            unit="%"
            {...titledYAxis('Adjusted rate')}
          />
          <Tooltip formatter={(value: number) => (typeof value === 'number' ? value.toFixed(1) : value)} />
          <ReferenceLine
            y={percent(overallRate)}
            stroke="#1a1a1a"
            label={{ value: `overall ${percent(overallRate).toFixed(1)}%`, position: 'right', fontSize: 12 }}
          />
          {(['l998', 'u998', 'l95', 'u95'] as const).map((key) => (
            <Line
              key={key}
              data={limits}
              dataKey={key}
              name={key.endsWith('998') ? '99.8% limit' : '95% limit'}
              stroke="#4d4d4d"
              strokeWidth={1.5}
              strokeDasharray={key.endsWith('998') ? LIMIT_LINES[0]!.dash : LIMIT_LINES[1]!.dash}
              dot={false}
              isAnimationActive={false}
            />
          ))}
          {(['within', 'above', 'below'] as const).map((position) => {
            const style = POSITION_STYLE[position];
            const data = plotted.filter((point) => point.position === position);
            if (data.length === 0) return null;
            return (
              // Points as an unstroked line's dots: recharts' Scatter marks each point role="img"
              // without a name (axe: svg-img-alt); the table names every unit anyway.
              <Line
                key={position}
                name={style.label}
                data={[...data].sort((a, b) => a.denominator - b.denominator)}
                dataKey="rate"
                stroke="none"
                isAnimationActive={false}
                activeDot={false}
                dot={(props: { cx?: number; cy?: number; index?: number }) => (
                  <MarkerShape
                    key={props.index}
                    cx={props.cx}
                    cy={props.cy}
                    marker={style.marker}
                    colour={style.colour}
                    size={6}
                  />
                )}
              ></Line>
            );
          })}
          {labelPoints ? <Customized component={<PointNames points={plotted} />} /> : null}
        </ComposedChart>
      ) : (
        <div className="chart-placeholder" style={{ aspectRatio: '760 / 380' }} role="img" aria-label={title} />
      )}
      <figcaption>
        <ul className="series-legend">
          {(['within', 'above', 'below'] as const).map((position) => (
            <li key={position}>
              <svg width="18" height="18" aria-hidden="true" focusable="false">
                <MarkerShape
                  cx={9}
                  cy={9}
                  marker={POSITION_STYLE[position].marker}
                  colour={POSITION_STYLE[position].colour}
                  size={6}
                />
              </svg>
              {POSITION_STYLE[position].label}
            </li>
          ))}
          {LIMIT_LINES.map((limit) => (
            <li key={limit.label}>
              <svg width="34" height="12" aria-hidden="true" focusable="false">
                <line x1="1" y1="6" x2="33" y2="6" stroke="#4d4d4d" strokeWidth="1.5" strokeDasharray={limit.dash} />
              </svg>
              {limit.label}
            </li>
          ))}
        </ul>
        {withheld ? <span className="detail">{withheld}</span> : null}
      </figcaption>
    </figure>
  );
}

interface AxisScale {
  scale: (value: number) => number;
}

/**
 * The units' names beside their points, moved apart where they would overlap
 * (app/utils/label-placement.ts), with a line back to the point from a name that moved. Drawn
 * after the chart has its scales (recharts' Customized passes the axis maps and plot area in);
 * a white halo keeps a name legible over the limit lines.
 */
function PointNames({
  points,
  xAxisMap,
  yAxisMap,
  offset,
}: {
  points: ReadonlyArray<{ unit: string; denominator: number; rate: number }>;
  xAxisMap?: Record<string, AxisScale>;
  yAxisMap?: Record<string, AxisScale>;
  offset?: { top: number; height: number };
}) {
  const x = xAxisMap && Object.values(xAxisMap)[0]?.scale;
  const y = yAxisMap && Object.values(yAxisMap)[0]?.scale;
  if (!x || !y || !offset) return null;
  const placed = placeLabels(
    points.map((point) => ({ text: point.unit, x: x(point.denominator), y: y(point.rate) })),
    { top: offset.top + 6, bottom: offset.top + offset.height - 4 },
  );
  return (
    <g className="point-names" aria-hidden="true">
      {placed.map((label) => (
        <g key={label.text}>
          {Math.abs(label.labelY - label.y) > 3 ? (
            <line x1={label.x + 4} y1={label.y} x2={label.x + 8} y2={label.labelY} stroke="#4d4d4d" />
          ) : null}
          <text
            x={label.x + 9}
            y={label.labelY}
            dy={4}
            fontSize={12}
            fill="#1a1a1a"
            stroke="#ffffff"
            strokeWidth={3}
            paintOrder="stroke"
          >
            {label.text}
          </text>
        </g>
      ))}
    </g>
  );
}
