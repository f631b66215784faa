/**
 * How each series (usually a modality) is drawn: an Okabe-Ito colour (safe for the common kinds
 * of colour blindness) AND a fill pattern, line dash and marker shape of its own, so a reader who
 * cannot tell the colours apart, or prints in grey, still can tell the series apart.
 */

export interface SeriesStyle {
  colour: string;
  /** id of the <pattern> in <SeriesPatterns>. */
  patternId: string;
  /** stroke-dasharray of its line; undefined is solid. */
  dash: string | undefined;
  marker: 'circle' | 'square' | 'triangle' | 'diamond' | 'cross';
}

// Okabe & Ito (2008): blue, orange, bluish green, reddish purple, vermillion, sky blue, black.
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000'];
const DASHES = [undefined, '8 4', '2 3', '10 3 2 3', '4 4', '1 2', '12 6'];
const MARKERS: Array<SeriesStyle['marker']> = ['circle', 'square', 'triangle', 'diamond', 'cross', 'circle', 'square'];

/** Modalities keep their style across pages (IPT is always blue and solid). */
const MODALITY_ORDER = ['IPT', 'CBT', 'IPSRT', 'DIT', 'other'];

export function seriesStyle(series: string, index: number): SeriesStyle {
  const known = MODALITY_ORDER.indexOf(series);
  const slot = (known >= 0 ? known : index) % OKABE_ITO.length;
  return { colour: OKABE_ITO[slot]!, patternId: `series-pattern-${slot}`, dash: DASHES[slot], marker: MARKERS[slot]! };
}

/**
 * SVG patterns for bar fills: solid, diagonal, dots, cross-hatch, horizontal, vertical, grid.
 * Drawn once per document (app/root.tsx); every chart and legend refers to them by id.
 */
export function SeriesPatterns() {
  return (
    <svg className="pattern-defs" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        {OKABE_ITO.map((colour, slot) => (
          <pattern key={slot} id={`series-pattern-${slot}`} width="8" height="8" patternUnits="userSpaceOnUse">
            <rect width="8" height="8" fill={colour} fillOpacity={slot === 0 ? 1 : 0.35} />
            {slot === 1 ? <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke={colour} strokeWidth="2" /> : null}
            {slot === 2 ? <circle cx="4" cy="4" r="2" fill={colour} /> : null}
            {slot === 3 ? <path d="M0,0 l8,8 M8,0 l-8,8" stroke={colour} strokeWidth="1.5" /> : null}
            {slot === 4 ? <path d="M0,4 h8" stroke={colour} strokeWidth="2" /> : null}
            {slot === 5 ? <path d="M4,0 v8" stroke={colour} strokeWidth="2" /> : null}
            {slot === 6 ? <path d="M0,0 h8 v8" fill="none" stroke="#fff" strokeWidth="1" /> : null}
          </pattern>
        ))}
      </defs>
    </svg>
  );
}

/** A marker shape centred on (cx, cy), for scatter points and line dots. */
export function MarkerShape({
  cx,
  cy,
  marker,
  colour,
  size = 5,
  filled = true,
}: {
  cx?: number | null;
  cy?: number | null;
  marker: SeriesStyle['marker'];
  colour: string;
  size?: number;
  filled?: boolean;
}) {
  // Recharts passes null (or NaN) for a point without a value: nothing to draw.
  if (cx == null || cy == null || Number.isNaN(cx) || Number.isNaN(cy)) return null;
  const fill = filled ? colour : '#fff';
  const common = { fill, stroke: colour, strokeWidth: 1.5 };
  switch (marker) {
    case 'square':
      return <rect x={cx - size} y={cy - size} width={size * 2} height={size * 2} {...common} />;
    case 'triangle':
      return (
        <path
          d={`M${cx},${cy - size * 1.2} L${cx + size * 1.1},${cy + size} L${cx - size * 1.1},${cy + size} Z`}
          {...common}
        />
      );
    case 'diamond':
      return (
        <path
          d={`M${cx},${cy - size * 1.3} L${cx + size},${cy} L${cx},${cy + size * 1.3} L${cx - size},${cy} Z`}
          {...common}
        />
      );
    case 'cross':
      return (
        <path
          d={`M${cx - size},${cy - size} L${cx + size},${cy + size} M${cx + size},${cy - size} L${cx - size},${cy + size}`}
          stroke={colour}
          strokeWidth={2.5}
        />
      );
    default:
      return <circle cx={cx} cy={cy} r={size} {...common} />;
  }
}

/** A legend that shows each series' swatch (pattern or line and marker) beside its name, as HTML. */
export function SeriesLegend({
  series,
  kind,
  notes = {},
}: {
  series: readonly string[];
  kind: 'bar' | 'line';
  /** Extra words per series ("median 6 sessions"). */
  notes?: Record<string, string>;
}) {
  return (
    <ul className="series-legend">
      {series.map((name, index) => {
        const style = seriesStyle(name, index);
        return (
          <li key={name}>
            <svg width="34" height="16" aria-hidden="true" focusable="false">
              {kind === 'bar' ? (
                <rect x="1" y="1" width="32" height="14" fill={`url(#${style.patternId})`} stroke={style.colour} />
              ) : (
                <>
                  <line
                    x1="1"
                    y1="8"
                    x2="33"
                    y2="8"
                    stroke={style.colour}
                    strokeWidth="2.5"
                    strokeDasharray={style.dash}
                  />
                  <MarkerShape cx={17} cy={8} marker={style.marker} colour={style.colour} size={4} />
                </>
              )}
            </svg>
            {name}
            {notes[name] ? <span className="detail"> ({notes[name]})</span> : null}
          </li>
        );
      })}
    </ul>
  );
}
