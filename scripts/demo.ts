// `npm run demo`: a plan with no GitHub and no Ollama. The scripted model server the tests use
// answers as each planning agent would, and `symphony plan` plans examples/issue-1.md against the
// sample repository examples/sample-repo, printing the plan as the issue comment would show it.
import { realpathSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CliIo } from "../src/cli/main.js";
import { createPlanCliCommand } from "../src/cli/plan.js";
import { fixtureReplyFor, MODEL } from "../test/features/plan/plan-fixtures.js";
import { startModelServer } from "../test/support/model-server.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SAMPLE_REPO = join(ROOT, "examples", "sample-repo");
const SAMPLE_ISSUE = join(ROOT, "examples", "issue-1.md");

/** Plans the sample issue; resolves to the CLI's exit code. */
export async function runDemo(io: CliIo): Promise<number> {
  const server = await startModelServer({ models: [{ name: MODEL, contextLength: 16_384 }] });
  server.respond((request) => {
    const reply = fixtureReplyFor(request);
    return reply === undefined ? undefined : { json: reply };
  });
  const shown = (path: string): string => relative(process.cwd(), path) || ".";
  io.err(
    `Demo: a scripted model server on ${server.url} answers as each planning agent would.\n` +
      `$ symphony plan ${shown(SAMPLE_ISSUE)} --repo-dir ${shown(SAMPLE_REPO)}\n`,
  );
  try {
    // Only the demo's own environment: no GitHub token, host or model of the user's leaks in.
    const plan = createPlanCliCommand({ env: { OLLAMA_HOST: server.url, SYMPHONY_MODEL: MODEL } });
    return await plan.run([SAMPLE_ISSUE, "--repo-dir", SAMPLE_REPO], io);
  } finally {
    await server.close();
  }
}

const script = process.argv[1];
if (script !== undefined && import.meta.url === pathToFileURL(realpathSync(script)).href) {
  const io: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  process.exitCode = await runDemo(io);
}
