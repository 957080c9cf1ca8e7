// The embedded backend: one SQLite file (better-sqlite3, WAL, synchronous=FULL), one transaction
// per write, so an acknowledged write survives the process being killed.

import Database from 'better-sqlite3';

import type {
  ChangeSet,
  ColumnValue,
  LoadedState,
  StateBackend,
  StoredRow,
  TableSchema,
} from '../backend.js';
import { createOwnerOnly, restrictDatabaseFiles } from './file-mode.js';
import { ident, migrate } from './schema.js';

interface TableStatements {
  readonly put: Database.Statement;
  readonly del: Database.Statement;
}

export class SqliteBackend implements StateBackend {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, TableStatements>();
  private setLatest: Database.Statement | undefined;
  private setTableIndex: Database.Statement | undefined;
  private readonly commitTx: (changes: ChangeSet) => void;

  /**
   * Opens (creating if needed) the database at `filename`; `':memory:'` keeps it in memory. The
   * database and its -wal and -shm files are readable by their owner only (see file-mode.ts).
   */
  constructor(filename: string) {
    const onDisk = filename !== ':memory:';
    if (onDisk) createOwnerOnly(filename);
    this.db = new Database(filename);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = OFF');
      // The -wal and -shm files exist once WAL mode is on; older ones may have been wider.
      if (onDisk) restrictDatabaseFiles(filename);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.commitTx = this.db.transaction((changes: ChangeSet) => this.write(changes));
  }

  load(tables: readonly TableSchema[]): LoadedState {
    migrate(this.db, tables);
    for (const table of tables) {
      const name = ident(table.name);
      const keys = table.keyColumns.map((c) => ident(c.name));
      const all = [...keys, ...table.columns.map((c) => ident(c.name)), '"doc"'];
      this.statements.set(table.name, {
        put: this.db.prepare(
          `INSERT OR REPLACE INTO ${name} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`,
        ),
        del: this.db.prepare(
          `DELETE FROM ${name} WHERE ${keys.map((k) => `${k} = ?`).join(' AND ')}`,
        ),
      });
    }
    this.setLatest = this.db.prepare("UPDATE meta SET value = ? WHERE key = 'latest_index'");
    this.setTableIndex = this.db.prepare(
      'INSERT INTO table_index (name, idx) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET idx = excluded.idx',
    );

    const latest = this.db.prepare("SELECT value FROM meta WHERE key = 'latest_index'").get() as {
      value: number;
    };
    const tableIndexes = new Map<string, number>();
    for (const row of this.db.prepare('SELECT name, idx FROM table_index').iterate()) {
      const { name, idx } = row as { name: string; idx: number };
      tableIndexes.set(name, idx);
    }
    const rows = new Map<string, StoredRow[]>();
    for (const table of tables) {
      const cols = [...table.keyColumns, ...table.columns].map((c) => ident(c.name));
      const select = this.db
        .prepare(`SELECT ${[...cols, '"doc"'].join(', ')} FROM ${ident(table.name)}`)
        .raw(true);
      const out: StoredRow[] = [];
      for (const raw of select.iterate()) {
        const values = raw as ColumnValue[];
        const doc = values.pop() as string;
        out.push({ values, doc });
      }
      rows.set(table.name, out);
    }
    return { index: latest.value, tableIndexes, rows };
  }

  commit(changes: ChangeSet): void {
    this.commitTx(changes);
  }

  private write(changes: ChangeSet): void {
    if (this.setLatest === undefined || this.setTableIndex === undefined) {
      throw new Error('state backend used before load()');
    }
    for (const table of changes.tables) {
      const stmts = this.statements.get(table.table);
      if (stmts === undefined) throw new Error(`unknown state table: ${table.table}`);
      for (const key of table.deletes) stmts.del.run(...key);
      for (const row of table.puts) stmts.put.run(...row.values, row.doc);
      this.setTableIndex.run(table.table, changes.index);
    }
    this.setLatest.run(changes.index);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
