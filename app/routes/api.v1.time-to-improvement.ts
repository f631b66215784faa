/** GET /api/v1/time-to-improvement: a resource route (no page); documented in /api/v1/openapi.json. */
export { timeToImprovementLoader as loader } from '~/utils/analyst-api.server';
export { readOnlyApiAction as action } from '~/utils/api-response.server';
