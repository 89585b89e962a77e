/** Nest injection token for the agent's better-sqlite3 handle. */
export const DATABASE = Symbol('DATABASE');
