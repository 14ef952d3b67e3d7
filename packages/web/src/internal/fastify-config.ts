import type { RouteDefinition } from "../routing/route-definition.ts";
import type { ReplyCompress } from "./route-hooks.ts";

// Route config keys this layer sets on the fastify routes it registers.
declare module "fastify" {
  interface FastifyContextConfig {
    /** Health and metrics routes bypass the lifecycle gate. */
    dextBypassGate?: boolean;
    /** The declaration a Dext route was mounted from. */
    dextRoute?: RouteDefinition;
    /** Answers 405 for a known path. */
    dextMethodNotAllowed?: boolean;
    /** `@fastify/compress`'s `reply.compress` for a Dext route (set by Dext's onRequest hook). */
    dextCompress?: ReplyCompress;
  }
}
