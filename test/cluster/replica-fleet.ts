// Starts App replicas as child processes (test/cluster/replica-process.ts) against one Redis, and
// sends them signed deliveries: shared by the cluster tests and the cluster bench.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { freePort } from "../support/redis-server.js";

const source = fileURLToPath(new URL("./replica-process.ts", import.meta.url));
let bundled: Promise<string> | undefined;

/**
 * The replica script bundled once (packages stay in node_modules): plain `node` starts it in about
 * a second, where tsx would transform the whole source tree in every child.
 */
function replicaScript(): Promise<string> {
  bundled ??= (async () => {
    // Inside node_modules, so that the bundle's bare imports resolve to the project's packages.
    const cache = fileURLToPath(new URL("../../node_modules/.cache/", import.meta.url));
    await mkdir(cache, { recursive: true });
    const outfile = join(await mkdtemp(join(cache, "symphony-replica-")), "replica.mjs");
    await build({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "silent",
    });
    return outfile;
  })();
  return bundled;
}
export const FLEET_SECRET = "fleet-secret";

export interface Replica {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process ended. */
  exited: Promise<number | string>;
  /** What it printed so far: its log, at the LOG_LEVEL given in `env` (default none). */
  output(): string;
}

export interface FleetOptions {
  redisUrl: string;
  githubUrl: string;
  modelUrl: string;
  /** Extra environment (SYMPHONY_REDIS_LOCK_MS, SYMPHONY_QUEUE_CONCURRENCY, …). */
  env?: Record<string, string>;
  /** Node's own flags for the child (e.g. `--cpu-prof`, to see where a replica spends its time). */
  execArgv?: string[];
}

let privateKey: string | undefined;

export async function startReplica(options: FleetOptions): Promise<Replica> {
  privateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  }).privateKey;
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.execArgv ?? []), await replicaScript()], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: {
      PATH: process.env.PATH ?? "",
      REDIS_URL: options.redisUrl,
      GITHUB_URL: options.githubUrl,
      OLLAMA_HOST: options.modelUrl,
      PORT: String(port),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: FLEET_SECRET,
      // REPLICA_LOGS=1 prints every replica's debug log; REPLICA_LOGS=info (or warn…) that level.
      ...(process.env.REPLICA_LOGS === undefined
        ? {}
        : { LOG_LEVEL: logLevelOf(process.env.REPLICA_LOGS), LOG_FORMAT: "json" }),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (data: Buffer) => {
      out += data.toString();
      if (process.env.REPLICA_LOGS !== undefined) {
        for (const line of data.toString().split("\n")) {
          if (line !== "") process.stderr.write(`[${port}] ${line}\n`);
        }
      }
      if (out.includes("listening")) resolve();
    });
    void exited.then((code) => reject(new Error(`replica exited before listening (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, exited, output: () => out };
}

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

function logLevelOf(wanted: string): (typeof LOG_LEVELS)[number] {
  return LOG_LEVELS.find((level) => level === wanted) ?? "debug";
}

/** A `/symphony plan` comment on `owner/repo#issue`, as GitHub signs and sends it. */
export async function sendPlanComment(
  replica: Pick<Replica, "url">,
  delivery: { id: string; repository: string; issue: number; installation: number },
): Promise<{ status: number; ms: number }> {
  const [owner = "octo", name = "repo"] = delivery.repository.split("/");
  const payload = {
    action: "created",
    issue: { number: delivery.issue, title: "t", body: "b", labels: [], user: { login: "alice" } },
    comment: {
      id: 10_000 + delivery.issue,
      body: "/symphony plan",
      user: { login: "alice", type: "User" },
    },
    repository: { name, full_name: delivery.repository, owner: { login: owner }, private: false },
    sender: { login: "alice", type: "User" },
    installation: { id: delivery.installation, node_id: "x" },
  };
  const body = JSON.stringify(payload);
  const sent = performance.now();
  const response = await fetch(`${replica.url}/api/github/webhooks`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-github-delivery": delivery.id,
      "x-hub-signature-256": `sha256=${createHmac("sha256", FLEET_SECRET).update(body).digest("hex")}`,
    },
  });
  await response.text();
  return { status: response.status, ms: performance.now() - sent };
}
