/** The host's lifecycle, in order; `Failed` can follow any startup state. */
export type HostState =
  | "Starting"
  | "Migrating"
  | "Seeding"
  | "Running"
  | "Stopping"
  | "Stopped"
  | "Failed";

/** The states startup tasks can run in. */
export type StartupState = "Starting" | "Migrating" | "Seeding";

/** A state change, as `host.on("state", ...)` listeners receive it. */
export interface HostStateChange {
  readonly from: HostState;
  readonly to: HostState;
  /** What the new state is about (the failing task, the stop reason). */
  readonly detail: string | undefined;
  readonly error: unknown;
  readonly at: Date;
}

export const startupStates: readonly StartupState[] = ["Starting", "Migrating", "Seeding"];

const allowed: Readonly<Record<HostState, readonly HostState[]>> = {
  Starting: ["Migrating", "Failed", "Stopping"],
  Migrating: ["Seeding", "Failed", "Stopping"],
  Seeding: ["Running", "Failed", "Stopping"],
  Running: ["Stopping"],
  Failed: ["Stopping"],
  Stopping: ["Stopped"],
  Stopped: [],
};

export function canMove(from: HostState, to: HostState): boolean {
  return allowed[from].includes(to);
}
