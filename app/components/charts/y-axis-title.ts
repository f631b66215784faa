/**
 * The width and rotated title of a chart's y-axis, for every chart whose y-axis has a title.
 * Recharts' default axis is 60 pixels wide; its tick labels are right-aligned against the plot
 * ("100%" is ~46 px at the page's 16 px type) and the title is centred half way up, so in 60 px the
 * title ran through "50%" and "75%". 76 px leaves a clear gap between the title and the widest label.
 */
export function titledYAxis(title: string) {
  return {
    width: 76,
    label: { value: title, angle: -90, position: 'insideLeft', offset: 12, style: { textAnchor: 'middle' } },
  } as const;
}
