import { type FSWatcher, readFileSync, watch } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { createSecureContext, type SecureContextOptions } from "node:tls";
import type { Logger } from "@dext/core-di";
import { WebError } from "../errors.ts";
import type { CertificateFiles, CertificateReload } from "../web-options.ts";

const files = (c: CertificateFiles): string[] =>
  "pfxFile" in c ? [c.pfxFile] : [c.certFile, c.keyFile, ...(c.caFile ? [c.caFile] : [])];

/** Reads the certificate files and checks they make a usable TLS context. */
export function loadCertificate(c: CertificateFiles): SecureContextOptions {
  let options: SecureContextOptions;
  try {
    options =
      "pfxFile" in c
        ? {
            pfx: readFileSync(c.pfxFile),
            ...(c.passphrase !== undefined ? { passphrase: c.passphrase } : {}),
          }
        : {
            cert: readFileSync(c.certFile),
            key: readFileSync(c.keyFile),
            ...(c.caFile ? { ca: readFileSync(c.caFile) } : {}),
          };
    createSecureContext(options);
  } catch (error) {
    throw new WebError(
      "WEB_CERTIFICATE_INVALID",
      `the TLS certificate in ${files(c).join(", ")} cannot be used: ${(error as Error).message}; check the paths, that the key matches the certificate, and the passphrase`,
      { cause: error },
    );
  }
  return options;
}

/**
 * Watches the certificate files' directories (editors and cert-manager replace files by
 * renaming, which a watch on the file itself would miss) and applies changes to the server
 * without touching open connections.
 */
export class CertificateWatcher {
  readonly #watchers: FSWatcher[] = [];
  readonly #files: CertificateFiles;
  readonly #apply: (options: SecureContextOptions) => void;
  readonly #onReload: ((r: CertificateReload) => void) | undefined;
  readonly #logger: Logger;
  #pending: NodeJS.Timeout | undefined;

  constructor(
    certificate: CertificateFiles,
    apply: (options: SecureContextOptions) => void,
    logger: Logger,
    onReload?: (r: CertificateReload) => void,
  ) {
    this.#files = certificate;
    this.#apply = apply;
    this.#logger = logger;
    this.#onReload = onReload;
  }

  start(): void {
    const byDir = new Map<string, Set<string>>();
    for (const f of files(this.#files)) {
      const full = resolve(f);
      const set = byDir.get(dirname(full)) ?? new Set<string>();
      set.add(basename(full));
      byDir.set(dirname(full), set);
    }
    for (const [dir, names] of byDir) {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || names.has(name.toString())) this.#schedule();
      });
      watcher.on("error", (error) =>
        this.#logger.warn({ err: error, dir }, "certificate watch failed"),
      );
      this.#watchers.push(watcher);
    }
  }

  #schedule(): void {
    // A renewal writes several files; wait for the burst of events to end.
    clearTimeout(this.#pending);
    this.#pending = setTimeout(() => this.reload(), 100);
    this.#pending.unref();
  }

  /** Re-reads the files now; a bad set is reported and the current certificate stays. */
  reload(): CertificateReload {
    let outcome: CertificateReload;
    try {
      this.#apply(loadCertificate(this.#files));
      this.#logger.info({ files: files(this.#files) }, "TLS certificate reloaded");
      outcome = { ok: true };
    } catch (error) {
      this.#logger.error({ err: error }, "TLS certificate reload failed; keeping the current one");
      outcome = { ok: false, error: error as Error };
    }
    this.#onReload?.(outcome);
    return outcome;
  }

  stop(): void {
    clearTimeout(this.#pending);
    for (const w of this.#watchers.splice(0)) w.close();
  }
}
