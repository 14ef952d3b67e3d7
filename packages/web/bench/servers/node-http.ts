// Raw node:http with the same logic.
import { createServer } from "node:http";
import { announce, UserParams, UserService } from "./shared.ts";

const route = /^\/users\/([^/?]+)(?:\?.*)?$/;
const server = createServer((req, res) => {
  const m = req.method === "GET" ? route.exec(req.url ?? "") : null;
  if (!m) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    return;
  }
  const parsed = UserParams.safeParse({ id: decodeURIComponent(m[1]!) });
  if (!parsed.success) {
    res.writeHead(400, { "content-type": "application/json" }).end('{"error":"bad id"}');
    return;
  }
  const body = JSON.stringify(new UserService().find(parsed.data.id));
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => announce((server.address() as { port: number }).port));
for (const s of ["SIGTERM", "SIGINT"] as const)
  process.on(s, () => server.close(() => process.exit(0)));
