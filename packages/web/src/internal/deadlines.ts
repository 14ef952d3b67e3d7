/** One request's deadline; `fire` runs once when it passes (unless cancelled first). */
export interface Deadline {
  at: number;
  fire: () => void;
}

/**
 * Handler deadlines on one shared timer instead of a timer per request: entries are checked
 * every `tick` ms, so a deadline fires between its time and one tick later. With thousands of
 * requests in flight this is a Set insert and delete per request.
 */
export class Deadlines {
  readonly #pending = new Set<Deadline>();
  readonly #tick: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(tick: number) {
    this.#tick = Math.max(1, tick);
  }

  add(ms: number, fire: () => void): Deadline {
    const entry: Deadline = { at: performance.now() + ms, fire };
    this.#pending.add(entry);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#check(), this.#tick);
      this.#timer.unref();
    }
    return entry;
  }

  cancel(entry: Deadline): void {
    this.#pending.delete(entry);
    if (this.#pending.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #check(): void {
    const now = performance.now();
    for (const entry of this.#pending) {
      if (entry.at <= now) {
        this.cancel(entry);
        entry.fire();
      }
    }
  }
}

/** The tick for a timeout: a tenth of it, between 1 ms and 250 ms. */
export function tickFor(timeoutMs: number): number {
  return Math.min(250, Math.max(1, Math.floor(timeoutMs / 10)));
}
