/** GET /api/v1/openapi.json: the analyst API described in OpenAPI 3.1 (resource route). */
export { openApiLoader as loader } from '~/utils/openapi.server';
export { readOnlyApiAction as action } from '~/utils/api-response.server';
