export type { AppOptions } from "./app/create-app.ts";
export { createApp, WebApp } from "./app/create-app.ts";
export type { ContextKey } from "./context/context-key.ts";
export { contextKey } from "./context/context-key.ts";
export type { CookieOptions, RequestContext } from "./context/request-context.ts";
export type { WebErrorCode } from "./errors.ts";
export { WebError } from "./errors.ts";
export type { WebConfig } from "./internal/config-schema.ts";
export type { Middleware } from "./middleware.ts";
export type { OutputFormatter } from "./negotiation/output-formatter.ts";
export { jsonFormatter } from "./negotiation/output-formatter.ts";
export type { XmlFormatterOptions } from "./negotiation/xml-formatter.ts";
export { xmlFormatter } from "./negotiation/xml-formatter.ts";
export type { ProblemDetails, ProblemFieldError, ProblemInit } from "./problem/problem-details.ts";
export { PROBLEM_JSON, problemTypes } from "./problem/problem-details.ts";
export { ProblemError } from "./problem/problem-error.ts";
export type { Page, RedirectStatus } from "./results/helpers.ts";
export {
  accepted,
  created,
  noContent,
  ok,
  page,
  problem,
  redirect,
  withStatus,
} from "./results/helpers.ts";
export type { PageInfo, ResultKind } from "./results/http-result.ts";
export { HttpResult, isHttpResult } from "./results/http-result.ts";
export type { FileOptions } from "./results/stream-and-file.ts";
export { content, file, html, stream } from "./results/stream-and-file.ts";
export { addRoutes, WebRoutesToken } from "./routes-token.ts";
export type { PathParams } from "./routing/path-params.ts";
export { RouteBuilder } from "./routing/route-builder.ts";
export type { Handler, RouteDefinition } from "./routing/route-definition.ts";
export type { FastifyPlugin } from "./routing/route-group.ts";
export { RouteGroup } from "./routing/route-group.ts";
export type {
  DefaultInput,
  HttpMethod,
  InputPart,
  ResponseSpec,
  RouteInput,
  Schema,
  WithPart,
} from "./routing/route-types.ts";
export type { WebModule } from "./web-module.ts";
export { AppRoutesToken, web } from "./web-module.ts";
export type {
  CertificateFiles,
  CertificateReload,
  CompressionOptions,
  HealthOptions,
  HttpsOptions,
  ShutdownOptions,
  WebOptions,
} from "./web-options.ts";
