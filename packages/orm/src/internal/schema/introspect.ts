import type { Dialect } from "../../pool/connection-pool.ts";
import type { ReferentialAction } from "../../schema/column.ts";
import type {
  DbColumn,
  DbForeignKey,
  DbIndex,
  DbPrimaryKey,
  DbSchema,
  DbTable,
  DbUnique,
} from "./model.ts";

/** Runs one read statement and returns its rows as objects. */
export type RunQuery = (
  sql: string,
  params: readonly unknown[],
) => Promise<readonly Record<string, unknown>[]>;

interface MutableTable {
  name: string;
  columns: DbColumn[];
  primaryKey: DbPrimaryKey | undefined;
  uniques: DbUnique[];
  foreignKeys: DbForeignKey[];
  indexes: DbIndex[];
}

const table = (name: string): MutableTable => ({
  name,
  columns: [],
  primaryKey: undefined,
  uniques: [],
  foreignKeys: [],
  indexes: [],
});

const pgActions: Readonly<Record<string, ReferentialAction>> = {
  a: "no action",
  r: "restrict",
  c: "cascade",
  n: "set null",
  d: "set default",
};

const pgColumns = `
select c.relname as tbl, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
  a.attnotnull as notnull, a.attidentity::text as identity,
  pg_get_expr(d.adbin, d.adrelid) as dflt
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
where n.nspname = current_schema() and c.relkind in ('r', 'p')
order by c.relname, a.attnum`;

const pgConstraints = `
select c.relname as tbl, con.conname as name, con.contype::text as type,
  array(select a.attname::text from unnest(con.conkey) with ordinality k(num, ord)
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num order by k.ord) as cols,
  f.relname as ref_table,
  array(select a.attname::text from unnest(con.confkey) with ordinality k(num, ord)
        join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num order by k.ord) as ref_cols,
  con.confdeltype::text as on_delete, con.confupdtype::text as on_update
from pg_constraint con
join pg_class c on c.oid = con.conrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_class f on f.oid = con.confrelid
where n.nspname = current_schema() and con.contype in ('p', 'u', 'f')
order by c.relname, con.conname`;

const pgIndexes = `
select c.relname as tbl, ic.relname as name, i.indisunique as is_unique,
  (i.indexprs is not null or i.indpred is not null or 0 = any(i.indkey::int2[])) as special,
  array(select a.attname::text from unnest(i.indkey::int2[]) with ordinality k(num, ord)
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.num
        where k.ord <= i.indnkeyatts order by k.ord) as cols
from pg_index i
join pg_class ic on ic.oid = i.indexrelid
join pg_class c on c.oid = i.indrelid
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = current_schema() and c.relkind in ('r', 'p')
  and not exists (select 1 from pg_constraint con
                  where con.conindid = i.indexrelid and con.contype in ('p', 'u', 'x'))
order by c.relname, ic.relname`;

async function introspectPostgres(run: RunQuery): Promise<Map<string, MutableTable>> {
  const tables = new Map<string, MutableTable>();
  const get = (name: string): MutableTable => {
    let t = tables.get(name);
    if (t === undefined) {
      t = table(name);
      tables.set(name, t);
    }
    return t;
  };
  for (const r of await run(pgColumns, [])) {
    const dflt = r.dflt === null ? undefined : String(r.dflt);
    get(String(r.tbl)).columns.push({
      name: String(r.name),
      type: String(r.type),
      nullable: r.notnull !== true,
      default: dflt,
      identity: (r.identity !== "" && r.identity !== null) || /^nextval\(/i.test(dflt ?? ""),
    });
  }
  for (const r of await run(pgConstraints, [])) {
    const t = tables.get(String(r.tbl));
    if (t === undefined) continue;
    const cols = r.cols as string[];
    if (r.type === "p") t.primaryKey = { name: String(r.name), columns: cols };
    else if (r.type === "u") t.uniques.push({ name: String(r.name), columns: cols, index: false });
    else {
      t.foreignKeys.push({
        name: String(r.name),
        columns: cols,
        refTable: String(r.ref_table),
        refColumns: r.ref_cols as string[],
        onDelete: pgActions[String(r.on_delete)] ?? "no action",
        onUpdate: pgActions[String(r.on_update)] ?? "no action",
      });
    }
  }
  for (const r of await run(pgIndexes, [])) {
    const t = tables.get(String(r.tbl));
    if (t === undefined || r.special === true) continue;
    const cols = r.cols as string[];
    if (r.is_unique === true) t.uniques.push({ name: String(r.name), columns: cols, index: true });
    else t.indexes.push({ name: String(r.name), columns: cols });
  }
  return tables;
}

const sqliteLiteral =
  /^(null|current_(time|date|timestamp)|[+-]?\d+(\.\d+)?([eE][+-]?\d+)?|'([^']|'')*'|[xX]'[0-9a-fA-F]*'|true|false)$/i;

/** SQLite reports an expression default without the parentheses its DDL needs. */
function sqliteDefault(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const text = String(v).trim();
  return sqliteLiteral.test(text) || text.startsWith("(") ? text : `(${text})`;
}

const sqliteAction = (v: unknown): ReferentialAction =>
  String(v ?? "NO ACTION").toLowerCase() as ReferentialAction;

async function introspectSqlite(run: RunQuery): Promise<Map<string, MutableTable>> {
  const tables = new Map<string, MutableTable>();
  const names = await run(
    "select name from sqlite_schema where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name",
    [],
  );
  for (const { name } of names) {
    const t = table(String(name));
    tables.set(t.name, t);
    const info = await run(
      'select name, type, "notnull" as nn, dflt_value, pk from pragma_table_info(?) order by cid',
      [t.name],
    );
    const pk = info
      .filter((c) => Number(c.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map((c) => String(c.name));
    for (const c of info) {
      t.columns.push({
        name: String(c.name),
        type: String(c.type ?? ""),
        // SQLite lets some key columns hold NULL for old times' sake; keys are never nullable here.
        nullable: Number(c.nn) === 0 && Number(c.pk) === 0,
        default: sqliteDefault(c.dflt_value),
        identity: false,
      });
    }
    if (pk.length > 0) t.primaryKey = { name: undefined, columns: pk };
    const indexes = await run(
      'select name, "unique" as uq, origin, partial from pragma_index_list(?) order by name',
      [t.name],
    );
    for (const idx of indexes) {
      if (idx.origin === "pk" || Number(idx.partial) === 1) continue;
      const cols = await run("select name from pragma_index_info(?) order by seqno", [idx.name]);
      if (cols.some((c) => c.name === null)) continue; // an expression index
      const columns = cols.map((c) => String(c.name));
      const constraint = idx.origin === "u";
      if (Number(idx.uq) === 1) {
        t.uniques.push({
          name: constraint ? undefined : String(idx.name),
          columns,
          index: !constraint,
        });
      } else {
        t.indexes.push({ name: String(idx.name), columns });
      }
    }
    const fks = await run(
      'select id, "table" as ref, "from" as col, "to" as ref_col, on_update, on_delete from pragma_foreign_key_list(?) order by id, seq',
      [t.name],
    );
    const grouped = new Map<number, Record<string, unknown>[]>();
    for (const fk of fks) {
      const id = Number(fk.id);
      grouped.set(id, [...(grouped.get(id) ?? []), fk]);
    }
    for (const parts of grouped.values()) {
      const first = parts[0]!;
      t.foreignKeys.push({
        name: undefined,
        columns: parts.map((p) => String(p.col)),
        refTable: String(first.ref),
        // A foreign key declared without columns points at the target's primary key.
        refColumns: parts.map((p) => (p.ref_col === null ? "" : String(p.ref_col))),
        onDelete: sqliteAction(first.on_delete),
        onUpdate: sqliteAction(first.on_update),
      });
    }
  }
  for (const t of tables.values()) {
    t.foreignKeys = t.foreignKeys.map((fk) =>
      fk.refColumns.includes("")
        ? { ...fk, refColumns: tables.get(fk.refTable)?.primaryKey?.columns ?? fk.refColumns }
        : fk,
    );
  }
  return tables;
}

/** Reads the live schema: tables, columns, keys, foreign keys and plain indexes. */
export async function introspect(dialect: Dialect, run: RunQuery): Promise<DbSchema> {
  const tables =
    dialect === "postgres" ? await introspectPostgres(run) : await introspectSqlite(run);
  return { dialect, tables: tables as Map<string, DbTable> };
}
