import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temporary migrations folder for one test. */
export interface MigrationDir {
  readonly dir: string;
  write(file: string, text: string): string;
  read(file: string): string;
  files(): string[];
  remove(): void;
}

export function migrationDir(label: string, files: Record<string, string> = {}): MigrationDir {
  const root = mkdtempSync(join(tmpdir(), `dext-mig-${label.replace(/[^a-z0-9]/gi, "_")}-`));
  const dir = join(root, "migrations");
  mkdirSync(dir);
  const out: MigrationDir = {
    dir,
    write(file, text) {
      const path = join(dir, file);
      writeFileSync(path, text);
      return path;
    },
    read: (file) => readFileSync(join(dir, file), "utf8"),
    files: () => readdirSync(dir).sort(),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const [f, t] of Object.entries(files)) out.write(f, t);
  return out;
}

/** A SQL migration file's text. */
export function sqlMigration(up: string, down?: string): string {
  return `-- up\n${up}\n${down === undefined ? "" : `\n-- down\n${down}\n`}`;
}
