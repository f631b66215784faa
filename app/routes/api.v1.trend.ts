/** GET /api/v1/trend: a resource route (no page); documented in /api/v1/openapi.json. */
export { trendLoader as loader } from '~/utils/analyst-api.server';
export { readOnlyApiAction as action } from '~/utils/api-response.server';
