import { MODALITIES, OUTCOME_INSTRUMENTS, PSEUDONYM_DISPLAY_LENGTH } from '../../db/definitions';
import { FUNNEL_METRICS, FUNNEL_UNITS } from '../../db/queries/get-funnel';
import { GROUP_DIMENSIONS, PROPORTION_METRICS } from '../../db/queries/outcome-query';

/** JSON Schemas (OpenAPI 3.1) of the analyst API's answers, mirroring db/queries' result types. */

const number = (description: string) => ({ type: ['number', 'null'], description });
const count = (description: string) => ({ type: ['integer', 'null'], minimum: 0, description });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullableRef = (name: string, description: string) => ({ oneOf: [ref(name), { type: 'null' }], description });
const object = (properties: Record<string, object>, description?: string) => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties),
  properties,
});

const envelope = {
  definitions_version: { type: 'string', description: 'Version of the definitions on the methods page.' },
  min_cell: { type: 'integer', description: 'Minimum cell size under which groups and figures are withheld.' },
};

const group = {
  type: 'object',
  description: 'The group: each requested dimension and its value (null where missing). Empty without group_by.',
  properties: Object.fromEntries(GROUP_DIMENSIONS.map((dimension) => [dimension, { type: ['string', 'null'] }])),
  additionalProperties: false,
};

const suppressed = { type: 'boolean', description: 'Withheld whole: every figure is null.' };

export function openApiSchemas(): Record<string, object> {
  return {
    Error: object({ error: { type: 'string' }, message: { type: 'string' } }),
    BadParameter: object({
      error: { type: 'string', const: 'invalid_parameter' },
      parameter: { type: 'string', description: 'The parameter that is wrong.' },
      allowed: { type: 'string', description: 'What it may be.' },
      message: { type: 'string' },
    }),
    ProportionFigure: object(
      {
        count: { type: 'integer', minimum: 0 },
        denominator: { type: 'integer', minimum: 0 },
        rate: number('count / denominator, 0-1, unrounded.'),
        ci_low: number('Wilson score 95% interval, lower bound.'),
        ci_high: number('Wilson score 95% interval, upper bound.'),
      },
      'Null instead when the denominator is under min_cell.',
    ),
    MeanFigure: object({
      value: { type: 'number' },
      ci_low: number('Student t 95% interval (n - 1 degrees of freedom).'),
      ci_high: number('Student t 95% interval.'),
    }),
    OutcomeRow: object({
      group,
      suppressed,
      episodes: count('Episodes in the group.'),
      finished: count('Ended with at least 2 attended sessions.'),
      outcome_cohort: count('Finished and paired on the instrument (both, for combined).'),
      paired_completeness: number('outcome_cohort / finished.'),
      mean_sessions: number('Mean attended sessions of finished episodes.'),
      median_sessions: number('Median attended sessions of finished episodes.'),
      mean_baseline: number('Mean first score of the outcome cohort.'),
      mean_change: nullableRef(
        'MeanFigure',
        'Mean of final - baseline over the outcome cohort; negative is improvement.',
      ),
      effect_size_d: number('(mean baseline - mean final) / SD of baseline; positive is improvement.'),
      ...Object.fromEntries(PROPORTION_METRICS.map((metric) => [metric, nullableRef('ProportionFigure', metric)])),
    }),
    OutcomesResult: object({
      instrument: { type: 'string', enum: [...OUTCOME_INSTRUMENTS] },
      ...envelope,
      rows: { type: 'array', items: ref('OutcomeRow') },
    }),
    SurvivalPoint: object({
      session: { type: 'integer' },
      at_risk: { type: 'integer', description: 'At risk just before this session.' },
      events: { type: 'integer', description: 'Reached reliable improvement at this session.' },
      censored: { type: 'integer', description: 'Last scored at this session without improving reliably.' },
      improved: { type: 'number', description: '1 - S(t) after this session.' },
    }),
    TimeToImprovementRow: object({
      group,
      suppressed,
      n: count('Paired episodes.'),
      events: count('Episodes that reached reliable improvement.'),
      median_session: number(
        'First session at which S(t) <= 0.5, or where S(t) is exactly 0.5 the midpoint to the next drop (R survfit); null if never.',
      ),
      curve: { type: ['array', 'null'], items: ref('SurvivalPoint') },
    }),
    TimeToImprovementResult: object({
      instrument: { type: 'string', enum: OUTCOME_INSTRUMENTS.filter((name) => name !== 'combined') },
      ...envelope,
      rows: { type: 'array', items: ref('TimeToImprovementRow') },
    }),
    FunnelLimits: object({
      l95: { type: 'number' },
      u95: { type: 'number' },
      l998: { type: 'number' },
      u998: { type: 'number' },
    }),
    FunnelRow: object({
      unit: {
        type: 'string',
        description: `Location, or the clinician's pseudonym shortened to its first ${PSEUDONYM_DISPLAY_LENGTH} characters, as the pages show it.`,
      },
      suppressed,
      denominator: count("The metric's denominator in this unit."),
      observed: count('Episodes meeting the metric.'),
      expected: number('Sum over the unit episodes of their stratum rate in the whole population.'),
      o_e: number('observed / expected.'),
      observed_rate: number('observed / denominator.'),
      adjusted_rate: number('o_e x overall_rate.'),
      limits: nullableRef('FunnelLimits', 'Around overall_rate at this denominator.'),
      position: { enum: ['below', 'within', 'above', null], description: 'Against the 99.8% limits.' },
    }),
    FunnelResult: object({
      instrument: { type: 'string', enum: [...OUTCOME_INSTRUMENTS] },
      metric: { type: 'string', enum: [...FUNNEL_METRICS] },
      unit: { type: 'string', enum: [...FUNNEL_UNITS] },
      ...envelope,
      overall_rate: number('All observed / all denominators of the filtered population.'),
      rows: { type: 'array', items: ref('FunnelRow') },
    }),
    ModalityDifferenceRow: object({
      group,
      suppressed: {
        type: 'boolean',
        description: 'Withheld: a side has fewer episodes than min_cell in the strata compared; figures null.',
      },
      difference: number('a - b (-1 to 1), Mantel-Haenszel over the strata both treat.'),
      ci_low: number("Sato's 95% interval, lower (at least -1)."),
      ci_high: number("Sato's 95% interval, upper (at most 1)."),
      strata: count('Strata (severity band x condition group) where both have episodes.'),
      compared_a: count("a's episodes in those strata (the metric's denominator there)."),
      compared_b: count("b's episodes in those strata."),
      reason: {
        enum: ['withheld', 'no_shared_strata', 'no_interval', null],
        description:
          'Why there is no difference: withheld; no stratum both treat; or every compared episode had the same outcome on each side, which leaves no interval.',
      },
    }),
    ModalityDifferenceResult: object({
      instrument: { type: 'string', enum: [...OUTCOME_INSTRUMENTS] },
      metric: { type: 'string', enum: [...PROPORTION_METRICS] },
      a: { type: 'string', enum: [...MODALITIES] },
      b: { type: 'string', enum: [...MODALITIES] },
      adjusted_for: {
        type: 'array',
        items: { enum: ['severity_band', 'condition'] },
        description: 'The strata: severity band and condition group; condition group alone under instrument=combined.',
      },
      ...envelope,
      rows: { type: 'array', items: ref('ModalityDifferenceRow') },
    }),
    TrendQuarter: object({
      quarter: { type: 'string', pattern: '^\\d{4}-Q[1-4]$' },
      suppressed: {
        type: 'boolean',
        description:
          'Withheld (outcome cohort or denominator under min_cell, or the next smallest that the centre would give away): figures null.',
      },
      count: count('Episodes meeting the metric.'),
      denominator: count("The metric's denominator."),
      rate: number('count / denominator.'),
      ci_low: number('Wilson 95%, lower.'),
      ci_high: number('Wilson 95%, upper.'),
      control_low: number('p-chart: centre - 3 sigma, at least 0.'),
      control_high: number('p-chart: centre + 3 sigma, at most 1.'),
    }),
    TrendRow: object({
      group,
      suppressed,
      centre: number('Pooled rate of the group over its quarters.'),
      quarters: { type: ['array', 'null'], items: ref('TrendQuarter') },
    }),
    TrendResult: object({
      instrument: { type: 'string', enum: [...OUTCOME_INSTRUMENTS] },
      metric: { type: 'string', enum: [...PROPORTION_METRICS] },
      ...envelope,
      rows: { type: 'array', items: ref('TrendRow') },
    }),
  };
}
