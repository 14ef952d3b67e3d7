import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The cookie holding the browser's CSRF seed; the token in forms is derived from it. */
export const CSRF_COOKIE = "so4_csrf";
/** The form field and header a state-changing request carries the token in. */
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

/** A fresh random seed for the CSRF cookie. */
export function newCsrfSeed(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The token for a seed: an HMAC under the app secret. A cross-site attacker can neither read
 * the seed (an HttpOnly, SameSite=Lax cookie) nor compute the token without the secret.
 */
export function csrfToken(secret: string, seed: string): string {
  return createHmac("sha256", secret).update(`csrf:${seed}`).digest("base64url");
}

/** Constant-time check of a submitted token against the seed. */
export function verifyCsrf(
  secret: string,
  seed: string | undefined,
  submitted: string | undefined,
): boolean {
  if (!seed || !submitted) return false;
  const expected = Buffer.from(csrfToken(secret, seed));
  const actual = Buffer.from(submitted);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
