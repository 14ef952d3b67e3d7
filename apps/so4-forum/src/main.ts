// Starts the forum: `pnpm start` (SQLite under data/), or DATABASE_URL=postgres://... pnpm start.
import { loadConfig } from "@dext/core-di";
import { appDir, createForumApp, describeDatabase } from "./app.ts";

const config = loadConfig({ cwd: appDir });
const options = {
  config,
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? "127.0.0.1",
  databaseUrl: process.env.DATABASE_URL,
  ...(process.env.FORUM_DATA_DIR ? { dataDir: process.env.FORUM_DATA_DIR } : {}),
};
const app = createForumApp(options);
app.host.on("state", ({ to, detail }) => {
  if (to === "Running") {
    process.stdout.write(
      `\nso4 forum is ready at ${app.url} (${describeDatabase(options, config)})\n\n`,
    );
  } else if (to === "Failed") {
    process.stderr.write(`\nso4 forum failed to start: ${detail}\n\n`);
  }
});
await app.run();
