// Bare fastify with the same logic written by hand.
import Fastify from "fastify";
import { announce, UserParams, UserService } from "./shared.ts";

const app = Fastify({ logger: false });
app.get("/users/:id", async (request, reply) => {
  const parsed = UserParams.safeParse(request.params);
  if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues });
  return new UserService().find(parsed.data.id);
});
await app.listen({ port: 0, host: "127.0.0.1" });
announce((app.server.address() as { port: number }).port);
for (const s of ["SIGTERM", "SIGINT"] as const)
  process.on(s, () => app.close().then(() => process.exit(0)));
