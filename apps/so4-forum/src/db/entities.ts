import { col, DbContext, defineEntity, manyToOne, oneToMany, withRelations } from "@dext/orm";

const users = defineEntity("users", {
  id: col.int().primaryKey().generated(),
  email: col.varchar(254).unique(),
  name: col.varchar(40),
  passwordHash: col.text(),
  createdAt: col.timestamp().defaultNow(),
});

const categories = defineEntity("categories", {
  id: col.int().primaryKey().generated(),
  slug: col.varchar(60).unique(),
  name: col.varchar(80),
  description: col.text(),
  position: col.int().default(0),
});

// Counters (postCount, lastPostAt) are updated with atomic SQL increments, not through a
// version check: concurrent replies to one thread must all succeed.
const threads = defineEntity(
  "threads",
  {
    id: col.int().primaryKey().generated(),
    categoryId: col.int().references(() => categories.id, { onDelete: "cascade" }),
    authorId: col
      .int()
      .references(() => users.id, { onDelete: "cascade" })
      .index(),
    title: col.varchar(200),
    createdAt: col.timestamp().defaultNow(),
    lastPostAt: col.timestamp().defaultNow(),
    postCount: col.int().default(0),
  },
  { indexes: [{ columns: ["categoryId", "lastPostAt"] }] },
);

const posts = defineEntity(
  "posts",
  {
    id: col.int().primaryKey().generated(),
    threadId: col.int().references(() => threads.id, { onDelete: "cascade" }),
    authorId: col
      .int()
      .references(() => users.id, { onDelete: "cascade" })
      .index(),
    body: col.text(),
    createdAt: col.timestamp().defaultNow(),
    // Read as @dext/nullable's Nullable<Date>: views match on it instead of checking null.
    updatedAt: col.timestamp().asNullable(),
    version: col.int().version(),
  },
  { indexes: [{ columns: ["threadId", "id"] }] },
);

const sessions = defineEntity("sessions", {
  // The SHA-256 of the token the browser holds.
  id: col.varchar(64).primaryKey(),
  userId: col
    .int()
    .references(() => users.id, { onDelete: "cascade" })
    .index(),
  createdAt: col.timestamp().defaultNow(),
  expiresAt: col.timestamp(),
});

export const User = withRelations(users, { threads: oneToMany(threads, threads.authorId) });
export const Category = withRelations(categories, {
  threads: oneToMany(threads, threads.categoryId),
});
export const Thread = withRelations(threads, {
  category: manyToOne(categories, threads.categoryId),
  author: manyToOne(users, threads.authorId),
  posts: oneToMany(posts, posts.threadId),
});
export const Post = withRelations(posts, {
  thread: manyToOne(threads, posts.threadId),
  author: manyToOne(users, posts.authorId),
});
export const Session = withRelations(sessions, { user: manyToOne(users, sessions.userId) });

/** Every entity, in dependency order: what migrations and schema validation cover. */
export const entities = [User, Category, Thread, Post, Session] as const;

/** The forum's unit of work: one per request (scoped). */
export class ForumDb extends DbContext {}
