import type { ReadonlyDate } from "@dext/immutable";
import { Nullable } from "@dext/nullable";
import { and } from "@dext/orm";
import { Category, ForumDb, Post, Thread, User } from "../db/entities.ts";
import type { CategoryView, PostView, ThreadSummaryView } from "../views/pages.ts";
import { ForumError } from "./forum-error.ts";

/** The signed-in user an operation acts for. */
export interface Actor {
  readonly id: number;
  readonly name: string;
}

export interface Paged<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly size: number;
}

export interface ThreadView {
  readonly id: number;
  readonly title: string;
  readonly authorId: number;
  readonly authorName: string;
  readonly createdAt: ReadonlyDate;
  readonly postCount: number;
  readonly category: CategoryView;
}

const offset = (page: number, size: number): number => (page - 1) * size;

/** Only a post's author may change it. */
function mustOwn(actor: Actor, authorId: number, action: "edit" | "delete"): void {
  if (authorId !== actor.id) {
    throw new ForumError(
      "forbidden",
      "Not your post",
      `Only the author of a post can ${action} it.`,
    );
  }
}

/** Reading and writing the forum: categories, threads and posts, with authorship rules. */
export class ForumService {
  static readonly inject = [ForumDb] as const;
  readonly #db: ForumDb;

  constructor(db: ForumDb) {
    this.#db = db;
  }

  async categories(): Promise<CategoryView[]> {
    const rows = await this.#db
      .from(Category)
      .orderBy(Category.position)
      .orderBy(Category.name)
      .all();
    const counts = await this.#db.kysely
      .selectFrom("threads")
      .select(["category_id", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("category_id")
      .execute();
    const byId = new Map(counts.map((c) => [Number(c.category_id), Number(c.n)]));
    return rows.map((c) => ({ ...c, threadCount: byId.get(c.id) ?? 0 }));
  }

  async category(slug: string): Promise<CategoryView> {
    const c = await this.#db.from(Category).where(Category.slug.eq(slug)).first();
    if (!c)
      throw new ForumError("not-found", "No such category", `There is no category "${slug}".`);
    const threadCount = await this.#db.from(Thread).where(Thread.categoryId.eq(c.id)).count();
    return { ...c, threadCount };
  }

  async threads(
    category: CategoryView | undefined,
    page: number,
    size: number,
  ): Promise<Paged<ThreadSummaryView>> {
    const base = () => {
      const q = this.#db.from(Thread).join(Thread.author);
      return category ? q.where(Thread.categoryId.eq(category.id)) : q;
    };
    const [items, total] = await Promise.all([
      base()
        .orderBy(Thread.lastPostAt, "desc")
        .orderBy(Thread.id, "desc")
        .limit(size)
        .offset(offset(page, size))
        .select({
          id: Thread.id,
          title: Thread.title,
          authorName: User.name,
          createdAt: Thread.createdAt,
          lastPostAt: Thread.lastPostAt,
          postCount: Thread.postCount,
        })
        .all(),
      category ? Promise.resolve(category.threadCount) : this.#db.from(Thread).count(),
    ]);
    return { items, total, page, size };
  }

  async thread(id: number): Promise<ThreadView> {
    const t = await this.#db
      .from(Thread)
      .join(Thread.author)
      .where(Thread.id.eq(id))
      .select({
        id: Thread.id,
        title: Thread.title,
        authorId: Thread.authorId,
        authorName: User.name,
        createdAt: Thread.createdAt,
        postCount: Thread.postCount,
        categoryId: Thread.categoryId,
      })
      .first();
    if (!t) throw new ForumError("not-found", "No such thread", `Thread ${id} does not exist.`);
    const c = await this.#db.find(Category, t.categoryId);
    const category: CategoryView = { ...c!, threadCount: 0 };
    return { ...t, category };
  }

  async posts(threadId: number, page: number, size: number): Promise<Paged<PostView>> {
    const [items, total] = await Promise.all([
      this.#db
        .from(Post)
        .join(Post.author)
        .where(Post.threadId.eq(threadId))
        .orderBy(Post.id)
        .limit(size)
        .offset(offset(page, size))
        .select({
          id: Post.id,
          body: Post.body,
          authorId: Post.authorId,
          authorName: User.name,
          createdAt: Post.createdAt,
          updatedAt: Post.updatedAt,
        })
        .all(),
      this.#db.from(Post).where(Post.threadId.eq(threadId)).count(),
    ]);
    return { items, total, page, size };
  }

  async post(id: number): Promise<PostView & { readonly threadId: number }> {
    const p = await this.#db
      .from(Post)
      .join(Post.author)
      .where(Post.id.eq(id))
      .select({
        id: Post.id,
        threadId: Post.threadId,
        body: Post.body,
        authorId: Post.authorId,
        authorName: User.name,
        createdAt: Post.createdAt,
        updatedAt: Post.updatedAt,
      })
      .first();
    if (!p) throw new ForumError("not-found", "No such post", `Post ${id} does not exist.`);
    return p;
  }

  /** A post the actor wrote (to edit or delete); someone else's is `forbidden`. */
  async ownPost(
    actor: Actor,
    id: number,
    action: "edit" | "delete",
  ): Promise<PostView & { readonly threadId: number }> {
    const post = await this.post(id);
    mustOwn(actor, post.authorId, action);
    return post;
  }

  /** The page (of `size` posts, oldest first) a post is on. */
  async pageOfPost(threadId: number, postId: number, size: number): Promise<number> {
    const upTo = await this.#db
      .from(Post)
      .where(and(Post.threadId.eq(threadId), Post.id.lte(postId)))
      .count();
    return Math.max(1, Math.ceil(upTo / size));
  }

  /** Starts a thread with its first post, in one transaction. */
  async startThread(
    actor: Actor,
    category: CategoryView,
    title: string,
    body: string,
  ): Promise<{ threadId: number }> {
    return this.#db.transaction(async (tx) => {
      const now = new Date();
      const thread = tx.add(Thread, {
        categoryId: category.id,
        authorId: actor.id,
        title,
        createdAt: now,
        lastPostAt: now,
        postCount: 1,
      });
      tx.add(Post, { thread, authorId: actor.id, body, createdAt: now });
      await tx.saveChanges();
      return { threadId: thread.id };
    });
  }

  /**
   * Adds a reply. The post count is bumped with an atomic SQL increment rather than a
   * read-modify-write, so concurrent replies to one thread all count.
   */
  async reply(actor: Actor, threadId: number, body: string): Promise<PostView> {
    return this.#db.transaction(async (tx) => {
      const thread = await tx.find(Thread, threadId, { tracked: true });
      if (!thread)
        throw new ForumError("not-found", "No such thread", `Thread ${threadId} does not exist.`);
      const now = new Date();
      thread.lastPostAt = now;
      const post = tx.add(Post, { threadId, authorId: actor.id, body, createdAt: now });
      await tx.saveChanges();
      await tx.kysely
        .updateTable("threads")
        .set((eb) => ({ post_count: eb("post_count", "+", 1) }))
        .where("id", "=", threadId)
        .execute();
      return {
        id: post.id,
        body,
        authorId: actor.id,
        authorName: actor.name,
        createdAt: now,
        updatedAt: Nullable.none<ReadonlyDate>(),
      };
    });
  }

  async editPost(actor: Actor, postId: number, body: string): Promise<PostView> {
    const post = await this.#db.find(Post, postId, { tracked: true });
    if (!post) throw new ForumError("not-found", "No such post", `Post ${postId} does not exist.`);
    mustOwn(actor, post.authorId, "edit");
    post.body = body;
    post.updatedAt = Nullable.of(new Date());
    await this.#db.saveChanges();
    return { ...post, authorName: actor.name };
  }

  /** Deletes a post; deleting a thread's first post deletes the thread. */
  async deletePost(
    actor: Actor,
    postId: number,
  ): Promise<{ threadDeleted: boolean; threadId: number; categorySlug: string }> {
    return this.#db.transaction(async (tx) => {
      const post = await tx.find(Post, postId, { tracked: true });
      if (!post)
        throw new ForumError("not-found", "No such post", `Post ${postId} does not exist.`);
      mustOwn(actor, post.authorId, "delete");
      const thread = await tx.find(Thread, post.threadId, { tracked: true });
      const category = await tx.find(Category, thread!.categoryId);
      const first = await tx
        .from(Post)
        .where(Post.threadId.eq(post.threadId))
        .orderBy(Post.id)
        .select(Post.id)
        .first();
      if (first?.id === post.id) {
        tx.remove(thread!);
        await tx.saveChanges();
        return { threadDeleted: true, threadId: post.threadId, categorySlug: category!.slug };
      }
      tx.remove(post);
      await tx.saveChanges();
      await tx.kysely
        .updateTable("threads")
        .set((eb) => ({ post_count: eb("post_count", "-", 1) }))
        .where("id", "=", post.threadId)
        .execute();
      return { threadDeleted: false, threadId: post.threadId, categorySlug: category!.slug };
    });
  }
}
