import type { RequestContext } from "@dext/web";
import { z } from "zod";

export const credentialsForm = z.object({
  email: z.string().trim().email("Enter a valid email address").max(254),
  password: z.string().min(1, "Enter your password").max(200),
});

export const registrationForm = z.object({
  email: z.string().trim().email("Enter a valid email address").max(254),
  name: z
    .string()
    .trim()
    .min(2, "The display name needs at least 2 characters")
    .max(40, "The display name can have at most 40 characters"),
  password: z.string().min(8, "The password needs at least 8 characters").max(200),
});

export const threadForm = z.object({
  title: z
    .string()
    .trim()
    .min(3, "The title needs at least 3 characters")
    .max(200, "The title can have at most 200 characters"),
  body: z
    .string()
    .trim()
    .min(1, "Write a message")
    .max(10_000, "A message can have at most 10,000 characters"),
});

export const postForm = z.object({
  body: z
    .string()
    .trim()
    .min(1, "Write a message")
    .max(10_000, "A message can have at most 10,000 characters"),
});

/** A form's outcome: the parsed values, or messages plus what the user typed (to show again). */
export type FormResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: string[]; readonly values: Record<string, string> };

/** Reads a submitted form (urlencoded or multipart fields) and validates it with `schema`. */
export function readForm<T>(ctx: RequestContext, schema: z.ZodType<T>): FormResult<T> {
  const raw = (ctx.raw.request.body ?? {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw))
    if (typeof v === "string" && k !== "_csrf" && k !== "password") values[k] = v;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: [...new Set(parsed.error.issues.map((i) => i.message))], values };
}

/** Whether htmx sent the request (it then swaps a fragment instead of loading a page). */
export function isHtmx(ctx: RequestContext): boolean {
  return ctx.raw.request.headers["hx-request"] === "true";
}

/** A local path to go back to after login; anything else (another host, `//x`) becomes `/`. */
export function safeNext(next: unknown): string {
  return typeof next === "string" &&
    next.startsWith("/") &&
    !next.startsWith("//") &&
    !next.includes("\\")
    ? next
    : "/";
}

export const pageQuery = z.object({ page: z.coerce.number().int().min(1).catch(1).default(1) });
export const idParams = z.object({ id: z.coerce.number().int().positive() });
