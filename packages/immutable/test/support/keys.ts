import type { ValueObject } from "../../src/index.ts";

/** A key equal by `id` whose hash is whatever the test wants, to force collisions. */
export class Colliding implements ValueObject {
  readonly id: number;
  readonly hash: number;
  constructor(id: number, hash: number) {
    this.id = id;
    this.hash = hash;
  }
  equals(other: unknown): boolean {
    return other instanceof Colliding && other.id === this.id;
  }
  hashCode(): number {
    return this.hash;
  }
  toString(): string {
    return `Colliding(${this.id})`;
  }
}
