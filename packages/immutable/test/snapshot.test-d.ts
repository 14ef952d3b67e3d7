import { describe, expectTypeOf, it } from "vitest";
import {
  freezeDeep,
  type ImmutableList,
  type ImmutableMap,
  type ReadonlyDate,
  type ReadonlyTypedArray,
  type Snapshot,
} from "../src/index.ts";

interface Author {
  name: string;
  joined: Date;
  roles: string[];
}
interface Post {
  id: number;
  title: string;
  author: Author;
  tags: Set<string>;
  meta: Map<string, { views: number }>;
  history: { at: Date; by: Author }[];
  position: [number, { x: number }];
  body?: string | null;
  attachment: Uint8Array;
  render: (width: number) => string;
  comments: ImmutableList<{ text: string }>;
  scores: ImmutableMap<string, { value: number }>;
}

declare const post: Snapshot<Post>;

describe("Snapshot<T> forbids writes at any depth", () => {
  it("top-level and nested properties", () => {
    expectTypeOf(post.title).toEqualTypeOf<string>();
    expectTypeOf(post.body).toEqualTypeOf<string | null | undefined>();
    // @ts-expect-error read-only
    post.title = "x";
    // @ts-expect-error read-only
    post.author.name = "x";
    // @ts-expect-error read-only
    post.author = { name: "x", joined: new Date(), roles: [] };
    // @ts-expect-error read-only
    post.history[0].by.roles = [];
    // @ts-expect-error read-only
    post.body = null;
  });

  it("arrays and tuples", () => {
    // @ts-expect-error no push on a readonly array
    post.author.roles.push("admin");
    // @ts-expect-error read-only index
    post.author.roles[0] = "x";
    // @ts-expect-error no sort on a readonly array
    post.history.sort();
    // @ts-expect-error read-only tuple element
    post.position[0] = 1;
    // @ts-expect-error read-only nested in a tuple
    post.position[1].x = 1;
    expectTypeOf(post.position).toEqualTypeOf<readonly [number, { readonly x: number }]>();
    expectTypeOf(post.author.roles).toEqualTypeOf<readonly string[]>();
  });

  it("Maps, Sets and their contents", () => {
    // @ts-expect-error ReadonlyMap has no set
    post.meta.set("a", { views: 1 });
    // @ts-expect-error ReadonlyMap has no delete
    post.meta.delete("a");
    // @ts-expect-error ReadonlySet has no add
    post.tags.add("x");
    const views = post.meta.get("a");
    if (views) {
      // @ts-expect-error Map values are snapshots too
      views.views = 2;
    }
    expectTypeOf(post.meta).toEqualTypeOf<ReadonlyMap<string, { readonly views: number }>>();
    expectTypeOf(post.tags).toEqualTypeOf<ReadonlySet<string>>();
  });

  it("Dates lose their setters, keep their getters", () => {
    // @ts-expect-error no setters on a snapshot Date
    post.author.joined.setFullYear(2000);
    // @ts-expect-error no setters on a snapshot Date
    post.history[0]?.at.setTime(0);
    expectTypeOf(post.author.joined.getTime()).toEqualTypeOf<number>();
    expectTypeOf(post.author.joined).toEqualTypeOf<ReadonlyDate>();
  });

  it("typed arrays are read-only", () => {
    // @ts-expect-error read-only index
    post.attachment[0] = 1;
    // @ts-expect-error no fill
    post.attachment.fill(0);
    expectTypeOf(post.attachment[0]).toEqualTypeOf<number>();
    expectTypeOf(post.attachment).toEqualTypeOf<ReadonlyTypedArray<Uint8Array>>();
  });

  it("collections of this package carry snapshots of their elements", () => {
    const comment = post.comments.get(0);
    if (comment) {
      // @ts-expect-error list elements are snapshots
      comment.text = "x";
    }
    expectTypeOf(post.comments).toEqualTypeOf<ImmutableList<{ readonly text: string }>>();
    expectTypeOf(post.scores).toEqualTypeOf<ImmutableMap<string, { readonly value: number }>>();
  });

  it("functions and primitives are kept as they are", () => {
    expectTypeOf(post.render).toEqualTypeOf<(width: number) => string>();
    expectTypeOf<Snapshot<string>>().toEqualTypeOf<string>();
    expectTypeOf<Snapshot<number | null>>().toEqualTypeOf<number | null>();
    expectTypeOf<Snapshot<"a" | "b">>().toEqualTypeOf<"a" | "b">();
  });
});

describe("freezeDeep", () => {
  it("returns Snapshot<T>, and a plain value is assignable to its snapshot", () => {
    const row = { id: 1, tags: ["a"], at: new Date() };
    const frozen = freezeDeep(row);
    expectTypeOf(frozen).toEqualTypeOf<Snapshot<{ id: number; tags: string[]; at: Date }>>();
    // @ts-expect-error read-only
    frozen.tags.push("b");
    const alsoFine: Snapshot<Post> = {} as Post;
    expectTypeOf(alsoFine.id).toEqualTypeOf<number>();
    expectTypeOf(freezeDeep(5)).toEqualTypeOf<number>();
  });

  it("accepts only the documented options", () => {
    freezeDeep({}, { typedArrays: "allow" });
    // @ts-expect-error not an option value
    freezeDeep({}, { typedArrays: "copy" });
  });
});
