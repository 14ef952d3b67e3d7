/** What can go wrong in a forum operation, with the HTTP status it maps to. */
export type ForumErrorKind = "not-found" | "forbidden" | "unauthenticated" | "conflict";

const statusOf: Record<ForumErrorKind, number> = {
  "not-found": 404,
  forbidden: 403,
  unauthenticated: 401,
  conflict: 409,
};

/** A domain failure the pages render as an error page and the API as problem+json. */
export class ForumError extends Error {
  override readonly name = "ForumError";
  readonly kind: ForumErrorKind;
  readonly status: number;
  readonly title: string;

  constructor(kind: ForumErrorKind, title: string, detail: string) {
    super(detail);
    this.kind = kind;
    this.status = statusOf[kind];
    this.title = title;
  }
}
