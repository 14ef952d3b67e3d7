import { createHash, randomBytes } from "node:crypto";

/** The session cookie's name. */
export const SESSION_COOKIE = "so4_session";

/** A new session token (what the browser holds) and its hash (what the database holds). */
export function newSessionToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashSessionToken(token) };
}

/** Sessions are stored by hash, so a leaked table does not leak live sessions. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
