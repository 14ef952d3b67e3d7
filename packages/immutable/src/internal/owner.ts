/**
 * The token a builder stamps on the nodes it created (Clojure's transient "edit"): a builder
 * mutates a node in place only when the node carries its token, and copies every other node it
 * touches. A builder's token dies when it is sealed, so the nodes it made become immutable.
 */
export type Owner = { readonly builder: true };

export const newOwner = (): Owner => ({ builder: true });
