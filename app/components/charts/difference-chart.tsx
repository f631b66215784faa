import { CartesianGrid, ComposedChart, ErrorBar, Line, ReferenceLine, XAxis, YAxis } from 'recharts';

/** One line of a forest plot: a difference in percentage points with its 95% interval; null: none to draw. */
export interface DifferencePoint {
  label: string;
  /** Raw (a dot) or adjusted for case mix (a diamond). */
  kind: 'raw' | 'adjusted';
  /** Percentage points (-100 to 100). */
  difference: number | null;
  low: number | null;
  high: number | null;
}

/**
 * A forest plot of differences (Compare: one modality's rate minus another's), one line per group
 * and kind: the raw difference as a dot, the one adjusted for case mix as a diamond under it, each
 * with its 95% interval as a whisker, and a line at 0 (no difference). A line without a difference
 * is named under the chart; the numbers are in the table beside it.
 */
export function DifferenceChart({
  id,
  title,
  description,
  points,
  positiveMeans,
}: {
  id: string;
  title: string;
  description: string;
  points: readonly DifferencePoint[];
  /** "IPT higher": what a difference to the right of 0 means. */
  positiveMeans: string;
}) {
  const drawn = points.filter((point) => point.difference !== null);
  const data = points.map((point) => ({
    label: point.label,
    kind: point.kind,
    difference: point.difference,
    // ErrorBar takes distances below and above the value.
    interval:
      point.difference !== null && point.low !== null && point.high !== null
        ? [point.difference - point.low, point.high - point.difference]
        : undefined,
  }));
  // Symmetric about 0, in steps of 10 points, so the side a dot falls on reads at a glance.
  const reach = Math.max(10, ...drawn.flatMap((point) => [Math.abs(point.low ?? 0), Math.abs(point.high ?? 0)]));
  const edge = Math.min(100, Math.ceil(reach / 10) * 10);
  const missing = points.filter((point) => point.difference === null).map((point) => point.label);
  return (
    <figure className="chart">
      <ComposedChart
        id={id}
        layout="vertical"
        width={760}
        height={Math.max(160, 40 + points.length * 34)}
        data={data}
        margin={{ top: 8, right: 32, bottom: 24, left: 8 }}
        accessibilityLayer
        title={title}
        desc={description}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          dataKey="difference"
          domain={[-edge, edge]}
          tickCount={Math.min(11, edge / 5 + 1)}
          unit=" pts"
          label={{
            value: `Difference in percentage points (right of 0: ${positiveMeans})`,
            position: 'bottom',
            offset: 4,
          }}
        />
        <YAxis
          type="category"
          dataKey="label"
          width={200}
          interval={0}
          tick={(props: TickProps) => <LineName {...props} adjusted={points[props.index ?? -1]?.kind === 'adjusted'} />}
        />
        <ReferenceLine x={0} stroke="#1a1a1a" strokeWidth={1.5} />
        {/* Dots as an unstroked line's: recharts' Scatter marks each point role="img" without a name
            (axe: svg-img-alt), as on the funnel plot; the table names every line anyway. */}
        <Line
          dataKey="difference"
          stroke="none"
          isAnimationActive={false}
          activeDot={false}
          dot={(props: {
            cx?: number;
            cy?: number;
            index?: number;
            value?: number | null;
            payload?: { kind: DifferencePoint['kind'] };
          }) =>
            props.value === null || props.value === undefined || props.cx === undefined || props.cy === undefined ? (
              <g key={props.index} />
            ) : props.payload?.kind === 'adjusted' ? (
              <path
                key={props.index}
                className="adjusted-difference"
                d={`M ${props.cx} ${props.cy - 7} L ${props.cx + 7} ${props.cy} L ${props.cx} ${props.cy + 7} L ${props.cx - 7} ${props.cy} Z`}
                fill="#e08a00"
                stroke="#1a1a1a"
              />
            ) : (
              <circle key={props.index} cx={props.cx} cy={props.cy} r={5} fill="#0b5cad" stroke="#1a1a1a" />
            )
          }
        >
          <ErrorBar dataKey="interval" direction="x" width={6} strokeWidth={2} stroke="#1a1a1a" />
        </Line>
      </ComposedChart>
      <figcaption>
        <span className="detail">
          Blue dots: the raw difference, with its 95% interval (Newcombe) as a whisker; orange diamonds: the difference
          adjusted for case mix, with Sato&apos;s 95% interval. A whisker that crosses 0 does not show a difference
          chance alone would rarely give.
          {missing.length > 0 ? ` No dot (see the table for why): ${missing.join(', ')}.` : null}
        </span>
      </figcaption>
    </figure>
  );
}

/**
 * A line's name at the axis, as plain text: recharts' own tick wraps a name longer than the axis
 * after measuring it in the browser, which the server cannot do, so the two renders differ and
 * hydration fails ("Arlington Heights, adjusted"). Adjusted lines are set in italics.
 */
interface TickProps {
  x?: number;
  y?: number;
  index?: number;
  payload?: { value?: string };
}

function LineName({ x, y, payload, adjusted }: TickProps & { adjusted: boolean }) {
  return (
    <text x={x} y={y} dy={4} textAnchor="end" fontSize={12} fill="#1a1a1a" fontStyle={adjusted ? 'italic' : undefined}>
      {payload?.value ?? ''}
    </text>
  );
}
