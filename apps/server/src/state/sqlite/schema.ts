// The SQLite layout: a meta table (schema version row, latest index row), a table index table, and one
// table per object kind (key columns, link columns, JSON document).

import type Database from 'better-sqlite3';

import type { ColumnSpec, TableSchema } from '../backend.js';

/** Layout version written by this code. Bump it and add a step to `migrations` to change it. */
export const SCHEMA_VERSION = 1;

/** Steps from version n-1 to n, at position n-1. Object tables are created from their schemas. */
const migrations: readonly ((db: Database.Database) => void)[] = [
  (db) => {
    db.exec(`
      CREATE TABLE table_index (name TEXT PRIMARY KEY, idx INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO meta (key, value) VALUES ('latest_index', 0);
    `);
  },
];

const NAME = /^[a-z][a-z0-9_]*$/;

/** Quotes a table or column name after checking it is a plain identifier. */
export function ident(name: string): string {
  if (!NAME.test(name)) throw new Error(`invalid SQL identifier: ${name}`);
  return `"${name}"`;
}

function columnSql(col: ColumnSpec, key: boolean): string {
  const type = col.type === 'integer' ? 'INTEGER' : 'TEXT';
  return `${ident(col.name)} ${type}${key || col.nullable !== true ? ' NOT NULL' : ''}`;
}

/** Brings the database to SCHEMA_VERSION and creates the object tables that are missing. */
export function migrate(db: Database.Database, tables: readonly TableSchema[]): void {
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID',
    );
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
      { value: number } | undefined;
    const current = row?.value ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `state database has schema version ${current}, newer than this server's ${SCHEMA_VERSION}`,
      );
    }
    for (let v = current; v < SCHEMA_VERSION; v++) migrations[v]?.(db);
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(SCHEMA_VERSION);
    for (const table of tables) {
      const cols = [
        ...table.keyColumns.map((c) => columnSql(c, true)),
        ...table.columns.map((c) => columnSql(c, false)),
        '"doc" TEXT NOT NULL',
        `PRIMARY KEY (${table.keyColumns.map((c) => ident(c.name)).join(', ')})`,
      ];
      db.exec(`CREATE TABLE IF NOT EXISTS ${ident(table.name)} (${cols.join(', ')})`);
    }
  })();
}
