import Negotiator from "negotiator";
import type { OutputFormatter } from "../negotiation/output-formatter.ts";

const CACHE_LIMIT = 256;
const MAX_ACCEPT_LENGTH = 2048;

/**
 * Picks a formatter for an `Accept` header; results are cached per header value because
 * clients send a handful of distinct values.
 */
export class FormatterNegotiator {
  readonly formatters: readonly OutputFormatter[];
  readonly #byType: Map<string, OutputFormatter>;
  readonly #types: string[];
  readonly #cache = new Map<string, OutputFormatter | null>();

  constructor(formatters: readonly OutputFormatter[]) {
    this.formatters = formatters;
    this.#byType = new Map();
    for (const f of formatters) {
      const type = f.mediaType.toLowerCase();
      if (!this.#byType.has(type)) this.#byType.set(type, f);
    }
    this.#types = [...this.#byType.keys()];
  }

  /** The default formatter (the first one: JSON unless configured otherwise). */
  get fallback(): OutputFormatter {
    return this.formatters[0]!;
  }

  /** The best formatter, or `null` when the client accepts none of them. */
  pick(accept: string | undefined): OutputFormatter | null {
    if (accept === undefined || accept === "" || accept === "*/*") return this.fallback;
    const cached = this.#cache.get(accept);
    if (cached !== undefined) return cached;
    // A pathological header is judged on its first part only: still honoured, never slow.
    const header = accept.length > MAX_ACCEPT_LENGTH ? accept.slice(0, MAX_ACCEPT_LENGTH) : accept;
    let picked: OutputFormatter | null = null;
    try {
      const type = new Negotiator({ headers: { accept: header } }).mediaType(this.#types);
      picked = type === undefined ? null : (this.#byType.get(type) ?? null);
    } catch {
      picked = null;
    }
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(accept, picked);
    return picked;
  }
}
