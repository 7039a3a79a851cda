// `npm start` with a bad environment value: one sentence that says what to fix, a non-zero exit,
// and no stack trace, whichever part of Symphony reads the value.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAppCredentials, environmentWithDotEnv } from "../../src/app/app-credentials.js";
import { environmentProblem, startUpSentence } from "../../src/app/start-up-error.js";
import { readClusterSettings } from "../../src/app/cluster/redis-settings.js";
import { readUsageCaps } from "../../src/app/usage-limits.js";
import { readQueueSettings } from "../../src/create-app.js";
import { loadRuntimeSettings } from "../../src/runner/index.js";
import { testPrivateKey } from "../support/probot.js";

const SERVER = fileURLToPath(new URL("../../src/server.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

let folder: string;
beforeAll(async () => {
  // No .env of the project's: the server reads the one in the folder it starts in.
  folder = await mkdtemp(join(tmpdir(), "symphony-start-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The server as `node lib/server.js` starts, from its source; the exit code and stderr. */
function startServer(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const credentials = { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "x" };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", TSX, SERVER],
      // The timeout only stops a server that started when it should not have.
      { cwd: folder, env: { PATH: process.env["PATH"], ...credentials, ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => resolve({ code: Number(error?.code ?? 0), stderr }),
    );
  });
}

describe("npm start with a bad environment value", () => {
  // One value read while Probot loads the app, one read before Probot starts at all.
  it.concurrent.each([
    ["SYMPHONY_NUM_CTX_MAX", "abc", /SYMPHONY_NUM_CTX_MAX must be a whole number of tokens/],
    ["PRIVATE_KEY", "not a key", /PRIVATE_KEY is not a private key: paste the \.pem file/],
  ])("%s=%s stops it with one sentence saying what to fix", async (name, value, problem) => {
    const { code, stderr } = await startServer({ [name]: value });

    expect(code).toBe(1);
    expect(stderr).toMatch(/^Symphony did not start: [^\n]+\n$/);
    expect(stderr).toMatch(problem);
    expect(stderr).toContain(
      "fix it in .env or the server's environment, then start Symphony again.",
    );
  });

  it.each([
    ["SYMPHONY_MODEL_HOSTS", () => loadRuntimeSettings({ SYMPHONY_MODEL_HOSTS: "::bad" })],
    ["REDIS_URL", () => readClusterSettings({ REDIS_URL: "localhost:6379" })],
    ["SYMPHONY_QUEUE_MAX", () => readQueueSettings({ SYMPHONY_QUEUE_MAX: "many" })],
    [
      "SYMPHONY_MAX_RUNS_PER_REPO_HOUR",
      () => readUsageCaps({ SYMPHONY_MAX_RUNS_PER_REPO_HOUR: "x" }),
    ],
  ])("tells a bad %s as one sentence, for the server and for the Action", (name, read) => {
    const problem = environmentProblem(caught(read));

    expect(problem).toMatch(new RegExp(`^${name}\\b`));
    expect(startUpSentence(problem!, "server")).toMatch(
      /^Symphony did not start: [^\n]+; fix it in \.env or the server's environment, then start Symphony again\.$/,
    );
    expect(startUpSentence(problem!, "action")).toMatch(
      /; fix it in the workflow's env \(or the runner's environment\), then run the job again\.$/,
    );
  });

  it("leaves any other error alone, so a bug keeps its stack trace", () => {
    expect(environmentProblem(new TypeError("x is undefined"))).toBeUndefined();
  });
});

function caught(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error("expected the value to be refused");
}

describe("the GitHub App's credentials", () => {
  const key = testPrivateKey();

  it("accepts a numeric APP_ID with a usable key, and no credentials at all (the setup page)", () => {
    expect(() => checkAppCredentials({ APP_ID: "123", PRIVATE_KEY: key }, folder)).not.toThrow();
    expect(() => checkAppCredentials({}, folder)).not.toThrow();
  });

  it("refuses an APP_ID that is not a number", () => {
    expect(() => checkAppCredentials({ APP_ID: "my-app", PRIVATE_KEY: key }, folder)).toThrow(
      `APP_ID must be the app's numeric ID from its settings page on GitHub (it is "my-app")`,
    );
  });

  it("refuses a PRIVATE_KEY_PATH that names no file", () => {
    const env = { APP_ID: "1", PRIVATE_KEY_PATH: join(folder, "missing.pem") };
    expect(() => checkAppCredentials(env, folder)).toThrow(
      /^PRIVATE_KEY_PATH names ".*missing\.pem", which is not there/,
    );
  });

  it("refuses a key whose BEGIN and END lines hold no key", () => {
    const broken = "-----BEGIN RSA PRIVATE KEY-----\nnot base64\n-----END RSA PRIVATE KEY-----\n";
    expect(() => checkAppCredentials({ APP_ID: "1", PRIVATE_KEY: broken }, folder)).toThrow(
      /^PRIVATE_KEY holds no usable private key/,
    );
  });

  it("reads .env over the process's environment, as Probot does", async () => {
    await writeFile(join(folder, ".env"), "APP_ID=42\n");
    try {
      expect(environmentWithDotEnv({ APP_ID: "1", PORT: "3000" }, folder)).toEqual({
        APP_ID: "42",
        PORT: "3000",
      });
    } finally {
      await rm(join(folder, ".env"));
    }
  });
});
