import type { TestProject } from 'vitest/node';
import { startTestDatabaseServer } from './test-database-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    databaseKind: string;
  }
}

/** One PostgreSQL server for the whole run; each test file creates its own databases on it. */
export default async function setup(project: TestProject) {
  const server = await startTestDatabaseServer();
  console.log(`[chom tests] PostgreSQL used: ${server.kind}`);
  project.provide('adminDatabaseUrl', server.adminUrl);
  project.provide('databaseKind', server.kind);
  return async () => {
    await server.stop();
  };
}
