import { isOrmError } from "@dext/orm";
import { ForumDb, Session, User } from "../db/entities.ts";
import { ForumError } from "../domain/forum-error.ts";
import type { Actor } from "../domain/forum-service.ts";
import { type ForumSettings, ForumSettingsToken } from "../settings.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { hashSessionToken, newSessionToken } from "./session-token.ts";

const normalizeEmail = (email: string): string => email.trim().toLowerCase();

// Verifying against a real hash when the email is unknown keeps the response time the same,
// so the login form does not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

/** Accounts and sessions: registration, login, the user behind a session token, logout. */
export class AuthService {
  static readonly inject = [ForumDb, ForumSettingsToken] as const;
  readonly #db: ForumDb;
  readonly #settings: ForumSettings;

  constructor(db: ForumDb, settings: ForumSettings) {
    this.#db = db;
    this.#settings = settings;
  }

  async register(email: string, name: string, password: string): Promise<Actor> {
    const user = this.#db.add(User, {
      email: normalizeEmail(email),
      name: name.trim(),
      passwordHash: await hashPassword(password),
    });
    try {
      await this.#db.saveChanges();
    } catch (error) {
      if (isOrmError(error, "ORM_UNIQUE_VIOLATION")) {
        throw new ForumError(
          "conflict",
          "Email already registered",
          "An account with this email exists; log in instead.",
        );
      }
      throw error;
    }
    return { id: user.id, name: user.name };
  }

  /** The account for these credentials; one error for "no such email" and "wrong password". */
  async verify(email: string, password: string): Promise<Actor> {
    const user = await this.#db
      .from(User)
      .where(User.email.eq(normalizeEmail(email)))
      .first();
    decoyHash ??= hashPassword("decoy password for timing");
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
    if (!user || !ok) {
      throw new ForumError(
        "unauthenticated",
        "Wrong email or password",
        "The email or the password is wrong.",
      );
    }
    return { id: user.id, name: user.name };
  }

  /** Opens a session; returns the token the browser (or API client) holds. */
  async openSession(actor: Actor): Promise<string> {
    const { token, hash } = newSessionToken();
    this.#db.add(Session, {
      id: hash,
      userId: actor.id,
      expiresAt: new Date(Date.now() + this.#settings.sessionTtlMs),
    });
    await this.#db.saveChanges();
    return token;
  }

  /** The user a session token belongs to, if the session exists and has not expired. */
  async actorFor(token: string): Promise<Actor | undefined> {
    const row = await this.#db
      .from(Session)
      .join(Session.user)
      .where(Session.id.eq(hashSessionToken(token)))
      .select({ userId: User.id, name: User.name, expiresAt: Session.expiresAt })
      .first();
    if (!row || row.expiresAt.getTime() <= Date.now()) return undefined;
    return { id: row.userId, name: row.name };
  }

  async closeSession(token: string): Promise<void> {
    const session = await this.#db.find(Session, hashSessionToken(token));
    if (!session) return;
    this.#db.remove(Session, session);
    await this.#db.saveChanges();
  }
}
