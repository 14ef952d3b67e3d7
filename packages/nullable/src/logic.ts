import { Nullable } from "./nullable.ts";

// Shared by every caller, so frozen in every mode.
const TRUE = Object.freeze(Nullable.of(true));
const FALSE = Object.freeze(Nullable.of(false));

/**
 * Three-valued (Kleene, SQL) negation: not true is false, not false is true, not unknown
 * (none) stays unknown.
 *
 * @example
 * ```ts
 * not(Nullable.of(true)); // Nullable.of(false)
 * not(Nullable.none<boolean>()); // none
 * ```
 */
export function not(value: Nullable<boolean>): Nullable<boolean> {
  const v = value.value;
  return v === undefined ? value : v ? FALSE : TRUE;
}

/**
 * Three-valued (Kleene, SQL) conjunction: false if any operand is false, else unknown (none)
 * if any is none, else true. With no operands it is true.
 *
 * @example
 * ```ts
 * and(Nullable.none<boolean>(), Nullable.of(false)); // Nullable.of(false)
 * and(Nullable.none<boolean>(), Nullable.of(true)); // none
 * ```
 */
export function and(...operands: readonly Nullable<boolean>[]): Nullable<boolean> {
  let unknown = false;
  for (const operand of operands) {
    const v = operand.value;
    if (v === false) return FALSE;
    if (v === undefined) unknown = true;
  }
  return unknown ? Nullable.none() : TRUE;
}

/**
 * Three-valued (Kleene, SQL) disjunction: true if any operand is true, else unknown (none)
 * if any is none, else false. With no operands it is false.
 *
 * @example
 * ```ts
 * or(Nullable.none<boolean>(), Nullable.of(true)); // Nullable.of(true)
 * or(Nullable.none<boolean>(), Nullable.of(false)); // none
 * ```
 */
export function or(...operands: readonly Nullable<boolean>[]): Nullable<boolean> {
  let unknown = false;
  for (const operand of operands) {
    const v = operand.value;
    if (v === true) return TRUE;
    if (v === undefined) unknown = true;
  }
  return unknown ? Nullable.none() : FALSE;
}
