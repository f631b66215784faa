/** GET /api/v1/outcomes: a resource route (no page); documented in /api/v1/openapi.json. */
export { outcomesLoader as loader } from '~/utils/analyst-api.server';
export { readOnlyApiAction as action } from '~/utils/api-response.server';
