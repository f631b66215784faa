/** GET /api/v1/difference: a resource route (no page); documented in /api/v1/openapi.json. */
export { differenceLoader as loader } from '~/utils/analyst-api.server';
export { readOnlyApiAction as action } from '~/utils/api-response.server';
