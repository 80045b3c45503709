// A real redis-server for tests (Debian's redis-server, installed by .ci/run): started on a free local port in a
// temporary folder, stopped (and restartable, with its data when persistence is on) by the test.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: "127.0.0.1" });
    c.once("error", () => resolve(false));
    c.once("data", (d) => {
      resolve(d.toString().startsWith("+PONG"));
      c.destroy();
    });
    c.once("connect", () => c.write("PING\r\n"));
  });
}

export interface TestRedis {
  port: number;
  url: string;
  /** Stops the server (SIGTERM: with persistence on, it writes its data first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

export async function startRedis(options: { persistent?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "ness-redis-"));
  let proc: ChildProcess | null = null;
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--dir",
    dir,
    "--appendonly",
    options.persistent ? "yes" : "no",
    "--appendfsync",
    "always",
  ];
  const r: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = spawn("redis-server", args, { stdio: "ignore" });
      for (let i = 0; i < 200; i++) {
        if (await ping(port)) return;
        await new Promise((res) => setTimeout(res, 25));
      }
      throw new Error(`redis-server did not start on port ${port}`);
    },
    async stop() {
      const p = proc;
      proc = null;
      if (!p || p.exitCode !== null) return;
      await new Promise<void>((res) => {
        p.once("exit", () => res());
        p.kill("SIGTERM");
      });
    },
    async dispose() {
      await r.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await r.start();
  return r;
}
