import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generate } from "selfsigned";

/** A self-signed certificate written to files, as a server would load it. */
export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
  /** SHA-256 fingerprint in Node's `getPeerCertificate().fingerprint256` form. */
  readonly fingerprint256: string;
}

/**
 * Generates a self-signed certificate for `localhost` and 127.0.0.1 at test time and writes
 * `<name>.crt` and `<name>.key` into `dir`.
 *
 * @example
 * ```ts
 * const cert = await createTestCertificate(dir);
 * https.get(url, { ca: cert.cert });
 * ```
 */
export async function createTestCertificate(
  dir: string,
  name = "server",
): Promise<TestCertificate> {
  // A distinct subject per name, so a client trusting several of them matches the right one.
  const subject = [
    { name: "commonName", value: "localhost" },
    { name: "organizationName", value: `dext test ${name}` },
  ];
  const pems = await generate(subject, {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  } as never);
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  await writeFile(certFile, pems.cert);
  await writeFile(keyFile, pems.private);
  return {
    certFile,
    keyFile,
    cert: pems.cert,
    key: pems.private,
    fingerprint256: new X509Certificate(pems.cert).fingerprint256,
  };
}

/**
 * Bundles a certificate and its key into a PKCS#12 file with `openssl` (Node cannot write
 * PKCS#12 itself); throws a clear error when `openssl` is not installed.
 */
export function toPkcs12(cert: TestCertificate, pfxFile: string, passphrase: string): string {
  try {
    execFileSync("openssl", [
      "pkcs12",
      "-export",
      "-in",
      cert.certFile,
      "-inkey",
      cert.keyFile,
      "-out",
      pfxFile,
      "-passout",
      `pass:${passphrase}`,
    ]);
  } catch (error) {
    throw new Error(
      `making a PKCS#12 bundle needs the openssl command: ${(error as Error).message}`,
    );
  }
  return pfxFile;
}
