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
    expect(io.err).toContain("Symphony could not finish the plan.");
    expect(io.err).toContain("Check that the model host is running");
    // Said for the terminal: run the command again, not comment on GitHub.
    expect(io.err).toContain("then run `symphony plan` again.");
    expect(io.err).not.toMatch(/comment|`\/symphony|\*\*/i);
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
    expect(io.err).toContain(
      `symphony plan: ${join(repoDir, ".github", "symphony.yml")} is invalid: \``,
    );
    expect(io.err).toContain(
      "Fix the file (schema: docs/schema.json) and run symphony plan again.",
    );
    expect(io.err).not.toContain("default branch");
    expect(server.chatRequests()).toHaveLength(0);
  });

  it("exits 2 and says what to give when the issue file does not exist", async () => {
    const { io, streams } = terminal();

    const code = await main(["plan", join(repoDir, "nope.md"), "--repo-dir", repoDir], streams);

    expect(code).toBe(2);
    expect(io.err).toBe(
      `symphony plan: ${join(repoDir, "nope.md")} is neither owner/repo#number nor a readable file; give an issue as owner/repo#12 or a Markdown file\n`,
    );
    expect(server.chatRequests()).toHaveLength(0);
  });

  it("exits 2 when --repo-dir is not a folder", async () => {
    const { io, streams } = terminal();
    const missing = join(repoDir, "no-such-folder");

    const code = await main(["plan", join(repoDir, "issue-7.md"), "--repo-dir", missing], streams);

    expect(code).toBe(2);
    expect(io.err).toBe(
      `symphony plan: --repo-dir ${missing} is not a folder; give the checkout to plan against (default: the current folder)\n`,
    );
  });

  it("exits 2 with the variable's name when a model setting in the environment is unusable", async () => {
    vi.stubEnv("SYMPHONY_NUM_CTX_MAX", "abc");
    const { io, streams } = terminal();

    const code = await main(["plan", join(repoDir, "issue-7.md"), "--repo-dir", repoDir], streams);

    expect(code).toBe(2);
    expect(io.err).toMatch(/^symphony plan: SYMPHONY_NUM_CTX_MAX [^\n]*\n$/);
    expect(server.chatRequests()).toHaveLength(0);
  });

  it("exits 1 when GitHub cannot give the issue owner/repo#n names", async () => {
    const scope = nock("https://api.github.com")
      .get("/repos/octo/greeter/issues/12")
      .reply(404, { message: "Not Found" });
    const { io, streams } = terminal();

    const code = await main(["plan", "octo/greeter#12", "--repo-dir", repoDir], streams);

    expect(code).toBe(1);
    expect(scope.isDone()).toBe(true);
    expect(io.err).toContain("symphony plan: could not read octo/greeter#12 from GitHub");
    expect(io.err).toContain("needs GITHUB_TOKEN");
  });

  it("says on stderr and in the run details that a model the settings name is not allowed", async () => {
    answerEveryAgent(server);
    await mkdir(join(repoDir, ".github"));
    await writeFile(join(repoDir, ".github", "symphony.yml"), "models:\n  planner: llama3.1:70b\n");
    const { io, streams } = terminal();

    const code = await main(["plan", join(repoDir, "issue-7.md"), "--repo-dir", repoDir], streams);

    expect(code).toBe(0);
    const sentence = `\`models.planner\` names \`llama3.1:70b\`, which the operator does not allow (\`SYMPHONY_ALLOWED_MODELS\`), so \`${MODEL}\` ran instead.`;
    expect(io.err).toContain(`symphony plan: ${sentence}\n`);
    expect(io.out.split("<summary>How this was made</summary>")[1]).toContain(`- ⚠️ ${sentence}`);
    expect(server.chatRequests().map((chat) => chat.body?.["model"])).not.toContain("llama3.1:70b");
  });
});
