import { contextKey } from "@dext/web";
import type { Actor } from "../domain/forum-service.ts";
import type { Viewer } from "../views/layout.ts";

/** The signed-in user, when there is one. */
export const ActorKey = contextKey<Actor>("forum.actor");
/** What every page needs: the user and the CSRF token. */
export const ViewerKey = contextKey<Viewer>("forum.viewer");
/** The session token the request authenticated with. */
export const SessionTokenKey = contextKey<string>("forum.sessionToken");
/** Whether the request authenticates by the session cookie (ambient, so CSRF applies). */
export const AmbientCredentialsKey = contextKey<boolean>("forum.ambient");
