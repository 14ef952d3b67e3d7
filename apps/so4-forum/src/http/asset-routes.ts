import { fileURLToPath } from "node:url";
import { file, type RouteGroup } from "@dext/web";

// htmx comes from the npm package and is served by the app itself: no CDN at runtime.
const htmxPath = fileURLToPath(import.meta.resolve("htmx.org/dist/htmx.min.js"));
const stylesPath = fileURLToPath(new URL("../../public/styles.css", import.meta.url));

/** The stylesheet and htmx, cached by browsers for an hour. */
export function assetRoutes(r: RouteGroup): void {
  const cached = async (path: string, contentType: string) =>
    (await file(path, { contentType })).header("cache-control", "public, max-age=3600");
  r.get("/assets/styles.css").handle(() => cached(stylesPath, "text/css; charset=utf-8"));
  r.get("/assets/htmx.min.js").handle(() => cached(htmxPath, "text/javascript; charset=utf-8"));
}
