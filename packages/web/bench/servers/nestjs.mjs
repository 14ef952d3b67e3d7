// NestJS 11 on its fastify adapter with the same route. Plain JavaScript with Nest's decorator
// functions applied by hand (what the TypeScript compiler emits for decorators), so it runs
// without a build step. The service is request-scoped, as ours is.
import "reflect-metadata";
import {
  BadRequestException,
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  Scope,
} from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { FastifyAdapter } from "@nestjs/platform-fastify";
import { z } from "zod";

const UserParams = z.object({ id: z.coerce.number().int().positive() });

class UserService {
  find(id) {
    return { id, name: `user ${id}`, email: `user${id}@example.com`, roles: ["member"] };
  }
}
Injectable({ scope: Scope.REQUEST })(UserService);

class UsersController {
  constructor(users) {
    this.users = users;
  }
  get(id) {
    const parsed = UserParams.safeParse({ id });
    if (!parsed.success) throw new BadRequestException(parsed.error.issues);
    return this.users.find(parsed.data.id);
  }
}
Reflect.defineMetadata("design:paramtypes", [UserService], UsersController);
Param("id")(UsersController.prototype, "get", 0);
Get(":id")(
  UsersController.prototype,
  "get",
  Object.getOwnPropertyDescriptor(UsersController.prototype, "get"),
);
Controller("users")(UsersController);

class AppModule {}
Module({ controllers: [UsersController], providers: [UserService] })(AppModule);

const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
await app.listen(0, "127.0.0.1");
process.stdout.write(`${JSON.stringify({ port: app.getHttpServer().address().port })}\n`);
process.on("SIGTERM", () => app.close().then(() => process.exit(0)));
