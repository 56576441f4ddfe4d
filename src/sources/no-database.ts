import type { SqlSource } from './sql-source.js';

/**
 * The app database when none is configured and none was needed at startup
 * (no enabled collector read one, so demo mode did not start). Only a
 * collector enabled later by a reload can reach it; its runs then fail with
 * this message while the others keep running.
 */
export const noDatabase: SqlSource = {
  async readOnly() {
    throw new Error(
      'no database is configured: set database.url (CHOM_DATABASE_URL); demo mode starts only at startup, when an enabled collector reads the app database',
    );
  },
  async close() {},
};
