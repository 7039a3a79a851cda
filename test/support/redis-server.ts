// A real redis-server for the tests that need one, on a free port, with no persistence unless asked
// (`dir`: an append-only file there, so a restarted server has its data back); when the binary is
// absent the caller skips with the message below (CI installs it: .ci/run).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer, Socket } from "node:net";
import type { AddressInfo } from "node:net";

export const REDIS_MISSING =
  "redis-server is not installed: `apt-get install redis-server` (Debian) to run the cluster tests";

/** True when `redis-server` can be started here. */
export function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** `port`: a given one, to bring Redis back where replicas expect it after a test stopped it. */
export async function startRedis(
  port?: number,
  options: { dir?: string } = {},
): Promise<RunningRedis> {
  port ??= await freePort();
  const persistence =
    options.dir === undefined
      ? ["--appendonly", "no"]
      : ["--appendonly", "yes", "--appendfsync", "always", "--dir", options.dir];
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence],
    { stdio: "ignore" },
  );
  await answering(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resolves once the port answers PING (tries for 5 s). */
async function answering(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await pings(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer within 5 s`);
}

function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
  });
}
