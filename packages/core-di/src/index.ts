export { callSiteOutside } from "./call-site.ts";
export type { Config } from "./config/config.ts";
export { createConfig } from "./config/config.ts";
export type { ConfigIssue } from "./config/config-error.ts";
export { ConfigError } from "./config/config-error.ts";
export type { LoadConfigOptions } from "./config/load-config.ts";
export { loadConfig } from "./config/load-config.ts";
export { inject, injectAll, injectable } from "./decorators.ts";
export type { AllDependency, Dependency, OptionalDependency, Resolved } from "./dependency.ts";
export { all, optional } from "./dependency.ts";
export type { DiErrorCode } from "./errors.ts";
export { DiError, DisposalError } from "./errors.ts";
export type { HealthCheck, HealthCheckResult } from "./health-check.ts";
export { HealthCheckToken } from "./health-check.ts";
export type {
  Host,
  HostOptions,
  RunOptions,
  StartupFailureMode,
  StartupTask,
  StartupTaskContext,
} from "./host/host.ts";
export { createHost, HostToken } from "./host/host.ts";
export type { HostState, HostStateChange, StartupState } from "./host/host-state.ts";
export type { LogFn, Logger, LogLevel } from "./host/logger.ts";
export { jsonLogger, LoggerToken, silentLogger } from "./host/logger.ts";
export type { AnyModule, DextModule, ModuleConfig } from "./module.ts";
export { defineModule } from "./module.ts";
export type {
  AddService,
  ClassProvider,
  Concrete,
  ExistingProvider,
  FactoryProvider,
  InjectableClass,
  Lifetime,
  Registration,
  ValueProvider,
} from "./registration.ts";
export { currentScope, runInScope, tryCurrentScope } from "./scope-context.ts";
export type { BuildOptions, GraphProblemReport } from "./service-collection.ts";
export { ConfigToken, GraphError, ServiceCollection } from "./service-collection.ts";
export type { ServiceProvider, ServiceResolver, ServiceScope } from "./service-provider.ts";
export type { Class, ServiceKey, ServiceOf, Token } from "./token.ts";
export { keyName, token } from "./token.ts";
