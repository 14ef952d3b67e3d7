import proxyAddr from "@fastify/proxy-addr";

/** Whether an address at hop `i` (0 = the socket peer) is a trusted proxy. */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The same trust function fastify builds from its `trustProxy` option, so the request id and
 * `request.ip` agree on who is a proxy. A hop count cannot say whether the socket peer itself
 * is a proxy, so (as fastify does) it trusts no peer.
 */
export function trustProxyFn(tp: boolean | number | string | readonly string[]): TrustProxy {
  if (tp === true) return () => true;
  if (tp === false || typeof tp === "number") return () => false;
  if (typeof tp === "string") return proxyAddr.compile(tp.split(",").map((v) => v.trim()));
  return proxyAddr.compile([...tp]);
}
