import {
  type AnyColumnRef,
  col,
  defineEntity,
  manyToMany,
  manyToOne,
  oneToMany,
  withRelations,
} from "../../src/index.ts";

const users = defineEntity("users", {
  id: col.int().primaryKey().generated(),
  email: col.text().unique(),
  name: col.text(),
  bio: col.text().nullable(),
  version: col.int().version(),
});

const posts = defineEntity("posts", {
  id: col.int().primaryKey().generated(),
  authorId: col
    .int()
    .references(() => users.id, { onDelete: "cascade" })
    .index(),
  title: col.varchar(200),
  body: col.text().default(""),
  published: col.boolean().default(false),
  publishedAt: col.timestamp().nullable(),
  views: col.bigint().default(0n),
});

const tags = defineEntity("tags", {
  id: col.int().primaryKey().generated(),
  label: col.text().unique(),
});

export const PostTag = defineEntity(
  "post_tags",
  {
    postId: col.int().references(() => posts.id, { onDelete: "cascade" }),
    tagId: col.int().references(() => tags.id, { onDelete: "cascade" }),
  },
  { primaryKey: ["postId", "tagId"] },
);

const comments = defineEntity("comments", {
  id: col.int().primaryKey().generated(),
  postId: col.int().references(() => posts.id, { onDelete: "cascade" }),
  parentId: col
    .int()
    .nullable()
    .references((): AnyColumnRef => comments.id, { onDelete: "cascade" }),
  text: col.text(),
});

export const User = withRelations(users, { posts: oneToMany(posts, posts.authorId) });
export const Post = withRelations(posts, {
  author: manyToOne(users, posts.authorId),
  tags: manyToMany(tags, PostTag.postId, PostTag.tagId),
  comments: oneToMany(comments, comments.postId),
});
export const Tag = withRelations(tags, { posts: manyToMany(posts, PostTag.tagId, PostTag.postId) });
export const Comment = withRelations(comments, {
  parent: manyToOne(comments, comments.parentId),
  post: manyToOne(posts, comments.postId),
});

/** Every column kind, for round-trip tests. */
export const Sample = defineEntity("samples", {
  id: col.uuid().primaryKey().defaultRandom(),
  small: col.int(),
  big: col.bigint(),
  ratio: col.real(),
  price: col.decimal(12, 2),
  label: col.varchar(20),
  flag: col.boolean(),
  at: col.timestamp(),
  day: col.date(),
  data: col.json<{ tags: string[]; nested: { n: number } }>(),
  blob: col.bytes(),
  note: col.text().asNullable(),
  createdAt: col.timestamp().defaultNow(),
});

export const allEntities = [User, Post, Tag, PostTag, Comment, Sample] as const;
