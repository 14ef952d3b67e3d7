import { type ChildProcess, spawn } from "node:child_process";

export interface SpawnNodeOptions {
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /**
   * A command that runs node, e.g. `["taskset", "-c", "1"]` to pin it to a core from its
   * first thread on; it must exec node (so the child's pid is node's).
   */
  readonly wrapper?: readonly string[];
}

/** A child Node process whose output a test can wait on, line by line. */
export interface NodeProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts `node <script>` with the workspace's source condition and type stripping, so a test
 * can run a TypeScript fixture as a real process (signals, exit codes, sockets).
 */
export function spawnNode(script: string, options: SpawnNodeOptions = {}): NodeProcess {
  const nodeArgs = ["--conditions=@dext/source", script, ...(options.args ?? [])];
  const [command, ...prefix] = options.wrapper ?? [];
  const child = spawn(
    command ?? process.execPath,
    command === undefined ? nodeArgs : [...prefix, process.execPath, ...nodeArgs],
    {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  const waiters: {
    pattern: RegExp;
    resolve: (line: string) => void;
    reject: (e: Error) => void;
  }[] = [];
  let pending = "";
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    pending += chunk;
    let nl = pending.indexOf("\n");
    while (nl !== -1) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i]!;
        if (w.pattern.test(line)) {
          waiters.splice(i, 1);
          w.resolve(line);
        }
      }
      nl = pending.indexOf("\n");
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  void exit.then(({ code, signal }) => {
    for (const w of waiters.splice(0)) {
      w.reject(
        new Error(
          `process exited (code ${code}, signal ${signal}) before printing ${w.pattern}\nstdout:\n${out}\nstderr:\n${err}`,
        ),
      );
    }
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForLine(pattern) {
      const seen = out.split("\n").find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.reject(new Error(`process already exited before printing ${pattern}`));
      }
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
    exited: () => exit,
    kill: (signal = "SIGTERM") => {
      child.kill(signal);
    },
  };
}
