import { type Token, token } from "@dext/core-di";
import { z } from "zod";

/** The `forum` config section (config/*.yaml or DEXT__FORUM__...). */
export const forumConfigSchema = z
  .object({
    /** Signs CSRF tokens; at least 32 characters. Generated and kept in the data dir when unset. */
    secret: z.string().min(32).optional(),
    sessionDays: z.number().int().min(1).max(365).default(30),
    pageSize: z.number().int().min(5).max(100).default(20),
    /** Send cookies with `Secure` (behind HTTPS). */
    secureCookies: z.boolean().default(false),
  })
  .strict()
  .default({ sessionDays: 30, pageSize: 20, secureCookies: false });

export type ForumConfig = z.output<typeof forumConfigSchema>;

/** What the forum's services need to know, resolved once at startup. */
export interface ForumSettings {
  readonly secret: string;
  readonly sessionTtlMs: number;
  readonly pageSize: number;
  readonly secureCookies: boolean;
}

export const ForumSettingsToken: Token<ForumSettings> = token<ForumSettings>("ForumSettings");
