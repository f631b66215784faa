import { register } from 'tsx/esm/api';

// Kysely's FileMigrationProvider imports db/migrations/*.ts with Node's own import(), outside
// vitest's transform; tsx's loader lets Node read them (as it does under `npm run db:migrate`).
register();
