import "./di/service-collection-extension.ts";

export { sql } from "kysely";
export type { EntityState } from "./context/db-context.ts";
export { DbContext } from "./context/db-context.ts";
export type { ContextOptions, FromQuery } from "./context/query-context.ts";
export { QueryContext } from "./context/query-context.ts";
export { ReadOnlyDbContext } from "./context/read-only-db-context.ts";
export type { Database, DatabaseServices, PingResult } from "./database.ts";
export { createDatabase } from "./database.ts";
export type {
  CommonOptions,
  DatabaseOptions,
  PostgresOptions,
  SqliteOptions,
} from "./database-options.ts";
export type { AddDbContextOptions, DbContextClass } from "./di/add-db-context.ts";
export { addDbContext } from "./di/add-db-context.ts";
export type { OrmConfigSection, OrmMigrationsOptions, OrmModuleOptions } from "./di/orm-module.ts";
export { orm } from "./di/orm-module.ts";
export { DatabaseToken, databaseToken, MigratorToken, migratorToken } from "./di/tokens.ts";
export type { OrmErrorCode } from "./errors.ts";
export { isOrmError, OrmError } from "./errors.ts";
export type { QueryEvent, QueryOperation } from "./internal/instrumentation.ts";
export type { TransactionOptions } from "./internal/session.ts";
export type { SaveResult } from "./internal/unit-of-work.ts";
export type {
  MigrationContext,
  MigrationDb,
  MigrationDefinition,
  MigrationStep,
} from "./migrations/migration.ts";
export { defineMigration } from "./migrations/migration.ts";
export { createMigrator } from "./migrations/migrator.ts";
export type {
  AppliedMigration,
  ChangedMigration,
  CreateMigrationOptions,
  DownOptions,
  GeneratedMigration,
  GenerateMigrationOptions,
  MigrationProgress,
  MigrationRun,
  MigrationStatus,
  Migrator,
  MigratorOptions,
  PendingMigration,
  UpOptions,
} from "./migrations/migrator-types.ts";
export type { Nullable } from "./nullable.ts";
export type {
  AcquireOptions,
  ConnectionIntent,
  ConnectionPool,
  Dialect,
  PooledConnection,
  PoolStats,
} from "./pool/connection-pool.ts";
export type { ConditionOp } from "./query/condition.ts";
export { and, Condition, not, or } from "./query/condition.ts";
export type { QueryMode, QueryResult, SelectedRow, StreamOptions } from "./query/query.ts";
export { Query } from "./query/query.ts";
export type {
  ColumnDefault,
  ColumnFactories,
  ColumnInfo,
  ColumnKind,
  ColumnSpec,
  ForeignKeySpec,
  ReferentialAction,
} from "./schema/column.ts";
export { Column, col } from "./schema/column.ts";
export type { AnyColumnRef, SortDirection } from "./schema/column-ref.ts";
export { ColumnRef } from "./schema/column-ref.ts";
export { columnSqlType } from "./schema/column-sql-type.ts";
export { createTables } from "./schema/create-tables.ts";
export type {
  AnyEntity,
  ColumnMap,
  ColumnRefs,
  ColumnsOf,
  Entity,
  EntityOptions,
  EntityTypes,
  Insert,
  InsertOf,
  KeyOf,
  ReadValue,
  RelationsOf,
  Row,
  RowOf,
  TableOf,
  WriteValue,
} from "./schema/define-entity.ts";
export { defineEntity, metaOf } from "./schema/define-entity.ts";
export type { ColumnMeta, IndexSpec, RelationHandle } from "./schema/entity-meta.ts";
export { EntityMeta, snakeCase } from "./schema/entity-meta.ts";
export type {
  KyselyColumn,
  KyselyDatabase,
  KyselyTable,
  SnakeCase,
} from "./schema/kysely-types.ts";
export type {
  AddInput,
  AnyRelation,
  IncludedProps,
  IncludedValue,
  RelationKind,
  RelationMeta,
  RelationName,
  RelationOwner,
  RelationSpec,
  RelationTarget,
} from "./schema/relation.ts";
export { manyToMany, manyToOne, oneToMany, Relation, withRelations } from "./schema/relation.ts";
export type { ValidateSchemaOptions } from "./schema/validate-schema.ts";
export { validateSchema } from "./schema/validate-schema.ts";
export type { Seeder, SeederDefinition } from "./seeding/define-seeder.ts";
export { defineSeeder } from "./seeding/define-seeder.ts";
export type { RunSeedersOptions, SeedProgress, SeedRun } from "./seeding/run-seeders.ts";
export { runSeeders } from "./seeding/run-seeders.ts";
export type { UpsertOptions } from "./seeding/seed-db.ts";
export { SeedDb } from "./seeding/seed-db.ts";
export type { Snapshot } from "./snapshot.ts";
