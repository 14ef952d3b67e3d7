import { TelemetryError } from "../errors.ts";

/** Every stored series knows its label values, in label-name order. */
export interface Series {
  readonly values: readonly string[];
}

export interface SeriesIndexOptions<S extends Series> {
  readonly metric: string;
  readonly labelNames: readonly string[];
  readonly maxCardinality: number;
  readonly create: (values: readonly string[]) => S;
  /** Called once per refused recording (a new label set beyond the cardinality limit). */
  readonly refused: (labels: Readonly<Record<string, unknown>>) => void;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

const text = (v: unknown): string => (typeof v === "string" ? v : v === undefined ? "" : String(v));

/**
 * The series of one instrument, found by label values through one map per label name: a
 * label set seen before costs one `Map.get` per label and allocates nothing. New label sets
 * are validated, and refused beyond the cardinality limit.
 */
export class SeriesIndex<S extends Series> {
  readonly #options: SeriesIndexOptions<S>;
  readonly #names: readonly string[];
  readonly #all = new Set<S>();
  #root = new Map<string, any>();
  #single: S | undefined;

  constructor(options: SeriesIndexOptions<S>) {
    this.#options = options;
    this.#names = options.labelNames;
  }

  get size(): number {
    return this.#all.size;
  }

  /** The stored series, in creation order. */
  series(): IterableIterator<S> {
    return this.#all.values();
  }

  /** The series of `labels`, created on first sight; `undefined` when refused. */
  get(labels: Readonly<Record<string, unknown>> | undefined): S | undefined {
    const names = this.#names;
    const n = names.length;
    if (n === 0) return this.#single ?? this.#add(labels ?? EMPTY);
    const l = labels ?? EMPTY;
    let node: any = this.#root;
    for (let i = 0; i < n; i++) {
      node = node.get(text(l[names[i]!]));
      if (node === undefined) return this.#add(l);
    }
    return node as S;
  }

  /** The series of `labels` if it exists; never creates one. */
  peek(labels: Readonly<Record<string, unknown>> | undefined): S | undefined {
    const names = this.#names;
    if (names.length === 0) return this.#single;
    const l = labels ?? EMPTY;
    let node: any = this.#root;
    for (const name of names) {
      node = node.get(text(l[name]));
      if (node === undefined) return undefined;
    }
    return node as S;
  }

  remove(labels: Readonly<Record<string, unknown>> | undefined): void {
    const found = this.peek(labels);
    if (found === undefined) return;
    this.#all.delete(found);
    if (this.#names.length === 0) {
      this.#single = undefined;
      return;
    }
    const path: Map<string, any>[] = [this.#root];
    for (let i = 0; i < this.#names.length - 1; i++) {
      path.push(path[i]!.get(found.values[i]!));
    }
    for (let i = path.length - 1; i >= 0; i--) {
      path[i]!.delete(found.values[i]!);
      if (path[i]!.size > 0) break;
    }
  }

  clear(): void {
    this.#all.clear();
    this.#root = new Map();
    this.#single = undefined;
  }

  #add(labels: Readonly<Record<string, unknown>>): S | undefined {
    this.#validate(labels);
    if (this.#all.size >= this.#options.maxCardinality) {
      this.#options.refused(labels);
      return undefined;
    }
    const values = this.#names.map((name) => text(labels[name]));
    const series = this.#options.create(values);
    this.#all.add(series);
    if (this.#names.length === 0) {
      this.#single = series;
      return series;
    }
    let node = this.#root;
    for (let i = 0; i < values.length - 1; i++) {
      let next = node.get(values[i]!);
      if (next === undefined) {
        next = new Map();
        node.set(values[i]!, next);
      }
      node = next;
    }
    node.set(values[values.length - 1]!, series);
    return series;
  }

  #validate(labels: unknown): void {
    const metric = this.#options.metric;
    if (labels === null || typeof labels !== "object" || Array.isArray(labels)) {
      throw new TelemetryError(
        "TELEMETRY_INVALID_LABELS",
        `metric "${metric}" was given ${Array.isArray(labels) ? "an array" : String(labels)} as labels: pass an object keyed by its label names (${this.#names.join(", ") || "none"})`,
      );
    }
    for (const [key, value] of Object.entries(labels)) {
      if (!this.#names.includes(key)) {
        throw new TelemetryError(
          "TELEMETRY_INVALID_LABELS",
          `metric "${metric}" has no label "${key}": its labels are ${this.#names.length > 0 ? this.#names.map((n) => `"${n}"`).join(", ") : "none"}; declare it in labelNames`,
        );
      }
      const t = typeof value;
      if (t !== "string" && t !== "number" && t !== "boolean" && value !== undefined) {
        throw new TelemetryError(
          "TELEMETRY_INVALID_LABELS",
          `metric "${metric}" label "${key}" must be a string, number or boolean, not ${value === null ? "null" : t}`,
        );
      }
    }
  }
}
