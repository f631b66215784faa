import type { LoaderFunctionArgs } from '@remix-run/node';
import {
  DEFAULT_MIN_CELL,
  DEFINITIONS_VERSION,
  MODALITIES,
  MIN_CELL_FLOOR,
  OUTCOME_INSTRUMENTS,
  severityBandsOf,
} from '../../db/definitions';
import {
  COMBINED_PROPORTION_METRICS,
  DIMENSION_VALUES,
  FILTER_DIMENSIONS,
  GROUP_DIMENSIONS,
  nullableDimension,
  PROPORTION_METRICS,
} from '../../db/queries/outcome-query';
import { FUNNEL_METRICS, FUNNEL_UNITS } from '../../db/queries/get-funnel';
import { optionsAnswer } from './api-response.server';
import { recordAudit } from './audit.server';
import { requireApiPrincipal } from './auth.server';
import { openApiSchemas } from './openapi-schemas.server';

/**
 * The analyst API's OpenAPI 3.1 description, served at /api/v1/openapi.json. Written by hand but
 * built from the same lists the parser and the SQL use (db/definitions.ts, outcome-query.ts), so
 * allowed values cannot drift from what the server accepts.
 */

type Parameter = { name: string; in: 'query'; required?: boolean; description: string; schema: object };

function listParameter(name: string, description: string, values?: readonly string[]): Parameter {
  return {
    name,
    in: 'query',
    description: `${description} Comma-separated list${values ? `; each one of: ${values.join(', ')}` : ''}.`,
    schema: { type: 'string', ...(values ? { examples: [values.slice(0, 2).join(',')] } : {}) },
  };
}

const filterParameters: Parameter[] = FILTER_DIMENSIONS.map((dimension) =>
  dimension === 'location'
    ? listParameter(
        'location',
        'Locations as loaded; outside your own locations is refused (403). A name with a comma in it is written in double quotes, a quote inside it doubled, as in CSV: "Chicago, Loop",Online.',
      )
    : dimension === 'severity_band'
      ? listParameter(
          dimension,
          `Only episodes whose baseline score on the instrument is in these severity bands (PHQ-9: ${severityBandsOf('PHQ-9').join(', ')}; GAD-7: ${severityBandsOf('GAD-7').join(', ')}). "none" selects episodes without a baseline score. Refused (400) with instrument=combined, which has two baselines and no one band; also a dimension of group_by.`,
          [...DIMENSION_VALUES[dimension], 'none'],
        )
      : listParameter(
          dimension,
          `Only episodes with these values of ${dimension}.${nullableDimension(dimension) ? ' "none" selects episodes where it is missing.' : ''}`,
          [...DIMENSION_VALUES[dimension], ...(nullableDimension(dimension) ? ['none'] : [])],
        ),
);

const month = (name: 'from' | 'to'): Parameter => ({
  name,
  in: 'query',
  description: `${name === 'from' ? 'First' : 'Last'} month of episode end, inclusive (YYYY-MM). Episodes without an end month are in no period.`,
  schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
});

function instrumentParameter(values: readonly string[]): Parameter {
  return {
    name: 'instrument',
    in: 'query',
    description: '`combined` is the NHS definition over episodes paired on both PHQ-9 and GAD-7.',
    schema: { type: 'string', enum: [...values], default: 'PHQ-9' },
  };
}

function groupByParameter(most: number, values: readonly string[]): Parameter {
  return {
    name: 'group_by',
    in: 'query',
    description: `Comma-separated list of up to ${most} dimension${most > 1 ? 's' : ''}, each once; one of: ${values.join(', ')}. Missing values form their own group (null).`,
    schema: { type: 'string' },
  };
}

const formatParameter: Parameter = {
  name: 'format',
  in: 'query',
  description: '`csv` gives the same figures, one column per field with dotted names (e.g. recovery.rate).',
  schema: { type: 'string', enum: ['json', 'csv'], default: 'json' },
};

function metricParameter(values: readonly string[], description: string): Parameter {
  return { name: 'metric', in: 'query', required: true, description, schema: { type: 'string', enum: [...values] } };
}

function modalityParameter(name: 'a' | 'b', description: string): Parameter {
  return { name, in: 'query', required: true, description, schema: { type: 'string', enum: [...MODALITIES] } };
}

const common = (instruments: readonly string[], groupBy: Parameter | null) => [
  instrumentParameter(instruments),
  ...filterParameters,
  month('from'),
  month('to'),
  ...(groupBy ? [groupBy] : []),
  formatParameter,
];

function responses(schema: string) {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  return {
    '200': {
      description: 'The figures; small groups and figures withheld as null (see min_cell).',
      content: {
        'application/json': { schema: { $ref: `#/components/schemas/${schema}` } },
        'text/csv': { schema: { type: 'string' } },
      },
    },
    '400': {
      description: 'A bad parameter, named with what is allowed.',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/BadParameter' } } },
    },
    '401': error('No valid bearer token (or session).'),
    '403': error('Signed in, but not allowed: a location outside yours, or clinician units for your role.'),
    '503': error('The warehouse cannot be reached; retry after the Retry-After seconds.'),
  };
}

function operation(summary: string, description: string, parameters: Parameter[], schema: string) {
  return { get: { summary, description, parameters, responses: responses(schema), security: [{ bearerAuth: [] }] } };
}

export function openApiDocument(): object {
  const singleInstruments = OUTCOME_INSTRUMENTS.filter((name) => name !== 'combined');
  const trendDimensions = GROUP_DIMENSIONS.filter((dimension) => dimension !== 'end_quarter');
  const differenceDimensions = GROUP_DIMENSIONS.filter((dimension) => dimension !== 'modality');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Therapy outcomes analyst API',
      version: '1',
      description:
        `Outcome figures by the NHS Talking Therapies definitions (definitions version ${DEFINITIONS_VERSION}; ` +
        `see the methods page). Rates are proportions 0-1, unrounded, with Wilson 95% intervals. ` +
        `Withheld on the server: a group whose outcome cohort is under the minimum cell size ` +
        `(default ${DEFAULT_MIN_CELL}, never below ${MIN_CELL_FLOOR}) has suppressed: true and null figures; ` +
        `any other figure whose denominator is under it is null. Unknown or repeated parameters are refused (400).`,
    },
    servers: [{ url: '/' }],
    paths: {
      '/api/v1/outcomes': operation(
        'Outcome figures per group',
        'Episodes, finished treatment, outcome cohort, paired-score completeness, mean and median attended sessions (finished episodes), mean baseline, mean change with its t interval and pre-post d (outcome cohort), and each proportion metric. For instrument=combined only the counts and ' +
          `${COMBINED_PROPORTION_METRICS.join(', ')} are given; the rest is null.`,
        common(OUTCOME_INSTRUMENTS, groupByParameter(3, GROUP_DIMENSIONS)),
        'OutcomesResult',
      ),
      '/api/v1/time-to-improvement': operation(
        'Kaplan-Meier time to reliable improvement',
        'Over paired episodes, ended or not; the time is the session of the first score at or below baseline minus the reliable change, others censored at their last scored session. Median as R survfit.',
        common(singleInstruments, groupByParameter(1, GROUP_DIMENSIONS)),
        'TimeToImprovementResult',
      ),
      '/api/v1/funnel': operation(
        'Case-mix adjusted funnel plot of units',
        'Indirect standardisation over baseline severity band x condition group (condition group alone under instrument=combined, which has no one baseline severity band); limits from the Wilson interval of the overall rate at each unit denominator; position: the adjusted rate judged against the 99.8% limits. For the director, quality and admin roles (403 for leadership).',
        [
          ...common(OUTCOME_INSTRUMENTS, null),
          metricParameter(FUNNEL_METRICS, `With instrument=combined, only the combined metrics among them.`),
          {
            name: 'unit',
            in: 'query',
            description:
              'What the units are: locations, modalities (IPT, CBT, IPSRT...: adjusted for the case mix each treats), or clinicians (by a 12-character pseudonym).',
            schema: { type: 'string', enum: [...FUNNEL_UNITS], default: 'location' },
          },
        ],
        'FunnelResult',
      ),
      '/api/v1/trend': operation(
        'A proportion by quarter of episode end, with p-chart limits',
        '3-sigma limits around the pooled rate of each group. A group, or a quarter, whose outcome cohort or denominator is under the minimum cell size is withheld, as /api/v1/outcomes withholds it; so is the next smallest quarter where the pooled rate would give a withheld one away.',
        [
          ...common(OUTCOME_INSTRUMENTS, groupByParameter(1, trendDimensions)),
          metricParameter(
            PROPORTION_METRICS,
            `With instrument=combined, one of ${COMBINED_PROPORTION_METRICS.join(', ')}.`,
          ),
        ],
        'TrendResult',
      ),
      '/api/v1/difference': operation(
        'One modality minus another, adjusted for case mix',
        "The Mantel-Haenszel difference of a proportion, a minus b, over strata of baseline severity band x condition group (condition group alone under instrument=combined), with Sato's 95% interval: the two are compared only within strata both treat, each stratum weighed by n_a n_b / (n_a + n_b). Per group of at most one dimension. A group is withheld (suppressed) where either side has fewer episodes than the minimum cell size in the strata compared; compared_a and compared_b are null where what they leave of the side's denominator would be a small count.",
        [
          ...common(OUTCOME_INSTRUMENTS, groupByParameter(1, differenceDimensions)),
          metricParameter(
            PROPORTION_METRICS,
            `With instrument=combined, one of ${COMBINED_PROPORTION_METRICS.join(', ')}.`,
          ),
          modalityParameter('a', 'The first modality: the difference is its rate minus that of b.'),
          modalityParameter('b', 'The second modality, other than a.'),
        ],
        'ModalityDifferenceResult',
      ),
      '/api/v1/openapi.json': {
        get: {
          summary: 'This document',
          security: [{ bearerAuth: [] }],
          responses: {
            '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } },
            '401': {
              description: 'No valid bearer token (or session).',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token from the admin page.' },
      },
      schemas: openApiSchemas(),
    },
  };
}

/** GET /api/v1/openapi.json: behind sign-in like every route; built once per process. */
let cachedDocument: string | undefined;
export async function openApiLoader({ request, context }: LoaderFunctionArgs): Promise<Response> {
  const principal = await requireApiPrincipal(request, context);
  const options = optionsAnswer(request);
  if (options) return options;
  await recordAudit(context, { principal, action: 'api_call', route: '/api/v1/openapi.json', rows: 0, status: 200 });
  cachedDocument ??= JSON.stringify(openApiDocument());
  return new Response(cachedDocument, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      // It says what this role may ask for: no cache keeps it (app/server/private-responses.ts).
      'Cache-Control': 'private, no-store',
    },
  });
}
