import { defineModule } from "@dext/core-di";
import { addRoutes, html, problem } from "@dext/web";
import { AuthService } from "./auth/auth-service.ts";
import { ForumDb } from "./db/entities.ts";
import { ForumService } from "./domain/forum-service.ts";
import { accountRoutes } from "./http/account-routes.ts";
import { apiRoutes } from "./http/api-routes.ts";
import { assetRoutes } from "./http/asset-routes.ts";
import { ViewerKey } from "./http/keys.ts";
import { pageRoutes } from "./http/page-routes.ts";
import { postRoutes } from "./http/post-routes.ts";
import { csrfMiddleware, sessionMiddleware } from "./http/session-middleware.ts";
import { type ForumSettings, ForumSettingsToken } from "./settings.ts";
import { errorPage } from "./views/pages.ts";

/** The forum's services and routes: pages at `/`, the JSON API at `/api`, assets at `/assets`. */
export function forumModule(settings: ForumSettings) {
  return defineModule({
    name: "forum",
    requires: ["orm", "web"],
    register(services) {
      services.addSingleton(ForumSettingsToken, { useValue: settings });
      services.addDbContext(ForumDb, { lifetime: "scoped" });
      services.addScoped(ForumService);
      services.addScoped(AuthService);

      addRoutes(services, (r) => {
        assetRoutes(r);
        r.group("", (pages) => {
          pages.use(sessionMiddleware(settings));
          pages.use(
            csrfMiddleware(settings, (ctx) =>
              html(
                errorPage(
                  ctx.get(ViewerKey)!,
                  403,
                  "Form expired",
                  "This form could not be verified (it may be from an old page). Go back, reload and try again.",
                ),
                403,
              ),
            ),
          );
          pageRoutes(pages, settings);
          postRoutes(pages, settings);
          accountRoutes(pages, settings);
        });
        r.group("/api", (api) => {
          api.use(sessionMiddleware(settings));
          api.use(
            csrfMiddleware(
              settings,
              () =>
                problem({
                  status: 403,
                  type: "forum/csrf",
                  title: "CSRF check failed",
                  detail:
                    "Writes with the session cookie need the x-csrf-token header; API clients should use a bearer token.",
                }),
              { only: "ambient" },
            ),
          );
          apiRoutes(api, settings);
        });
      });
    },
  });
}
