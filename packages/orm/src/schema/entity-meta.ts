import { OrmError } from "../errors.ts";
import type { ColumnSpec } from "./column.ts";
import type { RelationMeta } from "./relation.ts";

/** A relation as the metadata holds it: resolved on first use. */
export interface RelationHandle {
  readonly name: string;
  readonly meta: RelationMeta;
}

/** One column of an entity, resolved: its property key, database name and declaration. */
export interface ColumnMeta {
  readonly key: string;
  readonly dbName: string;
  readonly spec: ColumnSpec;
  /** Position in the entity's column list (and in every full-row SELECT). */
  readonly position: number;
  readonly entity: EntityMeta;
}

/** A multi-column index or unique constraint declared in `defineEntity`'s options. */
export interface IndexSpec {
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly name: string | undefined;
}

/** `fooBar` -> `foo_bar`: the default database name of a property. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const reserved = new Set(["__proto__", "constructor", "prototype", "then"]);
let nextEntityId = 1;

/**
 * Everything known about an entity, computed once by `defineEntity`: the hot path reads these
 * fields and never reflects.
 */
export class EntityMeta {
  /** Unique per process: compiled-shape keys use it, so two entities never share a shape. */
  readonly id: number = nextEntityId++;
  readonly table: string;
  /** The name used in messages (`User`), default the table name. */
  readonly name: string;
  /** Where the entity was declared (`src/entities/user.ts:12`), for messages. */
  readonly source: string | undefined;
  readonly columns: readonly ColumnMeta[];
  readonly byKey: ReadonlyMap<string, ColumnMeta>;
  readonly primaryKey: readonly ColumnMeta[];
  /** The database-generated key column, when there is one. */
  readonly generatedKey: ColumnMeta | undefined;
  readonly version: ColumnMeta | undefined;
  readonly indexes: readonly IndexSpec[];
  /** Relations by property name, added by `withRelations`. */
  readonly relations: Map<string, RelationHandle> = new Map();
  /** Per-dialect compiled artefacts (hydrators, statements), filled on first use. */
  readonly cache: Map<string, unknown> = new Map();
  /** The identity-map key of a row (or of an array of key values, in key order). */
  readonly keyOf: (row: Record<string, unknown>) => unknown;
  readonly keyOfValues: (values: readonly unknown[]) => unknown;

  constructor(
    table: string,
    specs: Readonly<Record<string, ColumnSpec>>,
    options: {
      name?: string;
      primaryKey?: readonly string[];
      indexes?: readonly IndexSpec[];
      source?: string | undefined;
    },
  ) {
    this.table = table;
    this.name = options.name ?? table;
    this.source = options.source;
    const where = `entity ${this.name} (table "${table}")`;
    if (typeof table !== "string" || table.length === 0) {
      throw new OrmError("ORM_INVALID_ENTITY", "defineEntity needs a table name");
    }
    const columns: ColumnMeta[] = [];
    const dbNames = new Map<string, string>();
    for (const [key, spec] of Object.entries(specs)) {
      if (reserved.has(key)) {
        throw new OrmError(
          "ORM_INVALID_ENTITY",
          `${where}: "${key}" cannot be a property name; rename it and keep the database name with .dbName("${key}")`,
        );
      }
      if (spec === null || typeof spec !== "object" || typeof spec.kind !== "string") {
        throw new OrmError(
          "ORM_INVALID_ENTITY",
          `${where}: property "${key}" is not a column; declare it with col.*() (col.text(), col.int(), ...)`,
        );
      }
      const dbName = spec.dbName ?? snakeCase(key);
      const clash = dbNames.get(dbName);
      if (clash !== undefined) {
        throw new OrmError(
          "ORM_INVALID_ENTITY",
          `${where}: properties "${clash}" and "${key}" both map to the column "${dbName}"; give one a different .dbName()`,
        );
      }
      dbNames.set(dbName, key);
      columns.push({ key, dbName, spec, position: columns.length, entity: this });
    }
    if (columns.length === 0) {
      throw new OrmError("ORM_INVALID_ENTITY", `${where} declares no columns`);
    }
    this.columns = columns;
    this.byKey = new Map(columns.map((c) => [c.key, c]));

    const marked = columns.filter((c) => c.spec.primaryKey);
    let primaryKey: ColumnMeta[];
    if (options.primaryKey !== undefined) {
      if (marked.length > 0) {
        throw new OrmError(
          "ORM_INVALID_ENTITY",
          `${where} declares its primary key twice: in options.primaryKey and on ${marked.map((c) => `"${c.key}"`).join(", ")}; keep one`,
        );
      }
      primaryKey = options.primaryKey.map((k) => {
        const c = this.byKey.get(k);
        if (!c) {
          throw new OrmError(
            "ORM_INVALID_ENTITY",
            `${where}: options.primaryKey names "${k}", which is not a column`,
          );
        }
        return c;
      });
    } else if (marked.length > 1) {
      throw new OrmError(
        "ORM_INVALID_ENTITY",
        `${where} has two primary keys (${marked.map((c) => `"${c.key}"`).join(", ")}): a composite key goes in the options, defineEntity(table, columns, { primaryKey: [${marked.map((c) => `"${c.key}"`).join(", ")}] })`,
      );
    } else {
      primaryKey = marked;
    }
    if (primaryKey.length === 0) {
      throw new OrmError(
        "ORM_INVALID_ENTITY",
        `${where} has no primary key: mark one column with .primaryKey() or list them in options.primaryKey`,
      );
    }
    for (const c of primaryKey) {
      if (c.spec.nullable) {
        throw new OrmError(
          "ORM_INVALID_ENTITY",
          `${where}: primary key column "${c.key}" cannot be nullable`,
        );
      }
    }
    this.primaryKey = primaryKey;

    const generated = columns.filter((c) => c.spec.generated);
    for (const c of generated) {
      if (!c.spec.primaryKey || (c.spec.kind !== "int" && c.spec.kind !== "bigint")) {
        throw new OrmError(
          "ORM_INVALID_ENTITY",
          `${where}: "${c.key}" is .generated(), which is for an int or bigint primary key; use .default() or .defaultNow() for other columns`,
        );
      }
    }
    this.generatedKey = generated[0];

    const versions = columns.filter((c) => c.spec.version);
    if (versions.length > 1) {
      throw new OrmError(
        "ORM_INVALID_ENTITY",
        `${where} has ${versions.length} version columns; optimistic concurrency needs exactly one`,
      );
    }
    this.version = versions[0];

    for (const idx of options.indexes ?? []) {
      for (const k of idx.columns) {
        if (!this.byKey.has(k)) {
          throw new OrmError(
            "ORM_INVALID_ENTITY",
            `${where}: index ${idx.name ?? `(${idx.columns.join(", ")})`} names "${k}", which is not a column`,
          );
        }
      }
    }
    this.indexes = options.indexes ?? [];

    if (primaryKey.length === 1) {
      const k = primaryKey[0]!.key;
      this.keyOf = (row) => row[k];
      this.keyOfValues = (values) => values[0];
    } else {
      const keys = primaryKey.map((c) => c.key);
      // Composite keys become one string so a plain Map can hold them.
      this.keyOf = (row) => keys.map((k) => keyPart(row[k])).join("\u0000");
      this.keyOfValues = (values) => values.map(keyPart).join("\u0000");
    }
    Object.freeze(this.columns);
  }

  /** The column for a property key; throws `ORM_INVALID_QUERY` for an unknown one. */
  column(key: string): ColumnMeta {
    const c = this.byKey.get(key);
    if (!c) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        `entity ${this.name} has no column "${key}" (columns: ${[...this.byKey.keys()].join(", ")})`,
      );
    }
    return c;
  }

  /** `User(id=3)`, for messages. */
  describeKey(key: unknown): string {
    const parts =
      this.primaryKey.length === 1
        ? [`${this.primaryKey[0]!.key}=${String(key)}`]
        : String(key)
            .split("\u0000")
            .map((v, i) => `${this.primaryKey[i]!.key}=${v}`);
    return `${this.name}(${parts.join(", ")})`;
  }
}

function keyPart(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v);
}
