import { defineSeeder } from "@dext/orm";
import { hashPassword } from "../auth/password.ts";
import { Category, Post, Thread, User } from "./entities.ts";

/** Everyone in the demo data can log in with this password. */
export const DEMO_PASSWORD = "dext-demo-password";

const categories = [
  {
    slug: "general",
    name: "General",
    description: "Anything about Dext and building servers with it.",
    position: 1,
  },
  { slug: "help", name: "Help", description: "Stuck? Ask here; show what you tried.", position: 2 },
  { slug: "showcase", name: "Showcase", description: "Things you built on Dext.", position: 3 },
  {
    slug: "announcements",
    name: "Announcements",
    description: "Releases and news from the maintainers.",
    position: 4,
  },
];

const people = [
  { email: "ada@example.com", name: "Ada" },
  { email: "grace@example.com", name: "Grace" },
  { email: "linus@example.com", name: "Linus" },
];

const threads: { category: string; author: number; title: string; posts: string[] }[] = [
  {
    category: "announcements",
    author: 0,
    title: "Welcome to the so4 forum",
    posts: [
      "This forum runs on every Dext package: the host, the ORM, the web layer and telemetry.\nLook around, register, and start a thread.",
      "Pages are server-rendered; replying and paging use htmx, so they work without a full reload.",
    ],
  },
  {
    category: "general",
    author: 1,
    title: "How do request scopes work?",
    posts: [
      "Each request gets its own DI scope, bound to AsyncLocalStorage. What happens to the DbContext when the client disconnects?",
      "The scope is disposed after the response closes and the handler settles, so the connection always goes back to the pool.",
      "Thanks, that matches what I see in the pool stats.",
    ],
  },
  {
    category: "help",
    author: 2,
    title: "SQLite or PostgreSQL for a small team?",
    posts: [
      "We run one machine today. Is embedded SQLite enough?",
      "For one machine SQLite in WAL mode is plenty; set DATABASE_URL when you outgrow it, the migrations are the same.",
    ],
  },
  {
    category: "showcase",
    author: 0,
    title: "A long thread to try paging",
    posts: Array.from({ length: 45 }, (_, i) => `Message ${i + 1} of a long conversation.`),
  },
];

/**
 * Demo categories, users, threads and posts. Idempotent: categories and users are upserted by
 * their natural keys (slug, email); a thread is only created when its title is not there yet.
 */
export const demoData = defineSeeder({
  name: "demo data",
  async run(db) {
    await db.upsert(Category, categories, { by: Category.slug });
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await db.upsert(
      User,
      people.map((p) => ({ ...p, passwordHash })),
      { by: User.email, update: "none" },
    );
    const users = await db
      .from(User)
      .where(User.email.in(people.map((p) => p.email)))
      .all();
    const userId = (i: number) => users.find((u) => u.email === people[i]!.email)!.id;
    const cats = await db.from(Category).all();
    let clock = Date.now() - threads.length * 3_600_000;
    for (const t of threads) {
      const category = cats.find((c) => c.slug === t.category)!;
      const exists = await db
        .from(Thread)
        .where(Thread.categoryId.eq(category.id))
        .where(Thread.title.eq(t.title))
        .exists();
      if (exists) continue;
      clock += 3_600_000;
      const start = new Date(clock);
      const thread = db.add(Thread, {
        categoryId: category.id,
        authorId: userId(t.author),
        title: t.title,
        createdAt: start,
        lastPostAt: new Date(start.getTime() + (t.posts.length - 1) * 60_000),
        postCount: t.posts.length,
      });
      t.posts.forEach((body, i) => {
        db.add(Post, {
          thread,
          authorId: userId((t.author + i) % people.length),
          body,
          createdAt: new Date(start.getTime() + i * 60_000),
        });
      });
      await db.saveChanges();
    }
  },
});
