import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { parsePlanRecord } from "../../src/features/plan/plan-markdown.js";
import { closedPortUrl, startModelServer, type ModelServer } from "../support/model-server.js";
import { agentOf, answerEveryAgent, FIXTURE_FILES, MODEL } from "../features/plan/plan-support.js";

let server: ModelServer;
let repoDir: string;

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  server = await startModelServer({ models: [{ name: MODEL, contextLength: 16_384 }] });
  repoDir = await mkdtemp(join(tmpdir(), "symphony-plan-"));
  for (const path of [...FIXTURE_FILES, "node_modules/left-pad/index.js"]) {
    await mkdir(dirname(join(repoDir, path)), { recursive: true });
    await writeFile(join(repoDir, path), `// ${path}\n`);
  }
  await writeFile(join(repoDir, "README.md"), "# Greeter\nA Probot app that greets newcomers.\n");
  await writeFile(
    join(repoDir, "issue-7.md"),
    "# Greet first-time contributors\n\nPost a friendly welcome on someone's first issue.\n",
  );
  vi.stubEnv("OLLAMA_HOST", server.url);
  vi.stubEnv("SYMPHONY_MODEL", MODEL);
  vi.stubEnv("SYMPHONY_MODEL_RETRIES", "0");
  vi.stubEnv("GITHUB_TOKEN", undefined);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  nock.cleanAll();
  nock.enableNetConnect();
  await server.close();
  await rm(repoDir, { recursive: true, force: true });
});

function terminal() {
  const io = { out: "", err: "" };
  return {
    io,
    streams: { out: (t: string) => void (io.out += t), err: (t: string) => void (io.err += t) },
  };
}

describe("symphony plan", () => {
  it("plans a Markdown issue against the local checkout: plan on stdout, progress on stderr", async () => {
    answerEveryAgent(server);
    const { io, streams } = terminal();

    const code = await main(["plan", join(repoDir, "issue-7.md"), "--repo-dir", repoDir], streams);

    expect(code).toBe(0);
    expect(io.out).toContain("## Plan: Welcome first-time contributors");
    expect(io.out).toContain("`src/handlers/issues.ts`");
    expect(parsePlanRecord(io.out)?.git_strategy?.branch).toBe("symphony/issue-7");
    expect(io.err).toContain("Planning… 1/5 Enhancer-Prompt agent\n");
    expect(io.err).toContain("Planning… 5/5 Code-Visualizer agent\n");
    expect(io.out).not.toContain("Planning…");
    const enhancer = JSON.stringify(server.chatRequests()[0]!.body?.["messages"]);
    expect(enhancer).toContain("Greet first-time contributors");
    expect(enhancer).toContain("A Probot app that greets newcomers.");
    expect(enhancer).toContain("src/handlers/issues.ts");
    expect(enhancer).not.toContain("left-pad");
    // The five agents, and the Planner's choice of files to read from the checkout.
    expect(server.chatRequests().map((r) => agentOf(r.body))).toEqual([
      "enhancer",
      "planner-files",
      "feature",
      "planner",
      "coordinator",
      "visualizer",
    ]);
  });

  it("reads an issue from GitHub without a token for owner/repo#n", async () => {
    answerEveryAgent(server);
    const scope = nock("https://api.github.com")
      .get("/repos/octo/greeter/issues/12")
      .reply(200, {
        number: 12,
        title: "Greet newcomers",
        body: "Say hi.",
        labels: [],
        state: "open",
      })
      .get("/repos/octo/greeter/issues/12/comments")
      .query(true)
      .reply(200, []);
    const { io, streams } = terminal();

    const code = await main(["plan", "octo/greeter#12", `--repo-dir=${repoDir}`], streams);

    expect(code).toBe(0);
    expect(scope.isDone()).toBe(true);
    expect(JSON.stringify(server.chatRequests()[0]!.body?.["messages"])).toContain(
      "Issue #12: Greet newcomers",
    );
    expect(parsePlanRecord(io.out)?.issue_number).toBe(12);
  });

  it("says what to do on stderr and exits 1 when the model host is down", async () => {
    vi.stubEnv("OLLAMA_HOST", await closedPortUrl());
    const { io, streams } = terminal();

    const code = await main(["plan", join(repoDir, "issue-7.md"), "--repo-dir", repoDir], streams);

    expect(code).toBe(1);
    expect(io.out).toBe("");
    expect(io.err).toContain("**Symphony could not finish the plan.**");
    expect(io.err).toContain("Check that the model host is running");
  });

  it("refuses a missing issue argument with usage and exit code 2", async () => {
    const { io, streams } = terminal();

    expect(await main(["plan", "--repo-dir", repoDir], streams)).toBe(2);
    expect(io.err).toContain("Usage: symphony plan <owner/repo#n | issue.md> [--repo-dir .]");
  });

  it("names the bad key of the checkout's .github/symphony.yml", async () => {
    await mkdir(join(repoDir, ".github"));
    await writeFile(join(repoDir, ".github", "symphony.yml"), "language: 42\n");
    const { io, streams } = terminal();

    expect(await main(["plan", join(repoDir, "issue-7.md"), "--repo-dir", repoDir], streams)).toBe(
      2,
    );
    expect(io.err).toContain("`language`");
    expect(server.chatRequests()).toHaveLength(0);
  });
});
