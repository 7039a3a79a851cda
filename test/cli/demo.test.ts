// `npm run demo`: the newcomer's first plan, with no GitHub and no Ollama.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDemo } from "../../scripts/demo.js";
import { parsePlanRecord } from "../../src/features/plan/plan-markdown.js";

beforeEach(() => {
  // The demo must work offline: only its own model server on 127.0.0.1 is reachable.
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});

afterEach(() => {
  nock.enableNetConnect();
});

describe("npm run demo", () => {
  it("prints a plan of the sample issue against the sample repository", async () => {
    const io = { out: "", err: "" };

    const code = await runDemo({
      out: (text) => void (io.out += text),
      err: (text) => void (io.err += text),
    });

    expect(code).toBe(0);
    expect(io.out).toContain("## Plan: Welcome first-time contributors");
    expect(io.out).toContain("| `src/handlers/issues.ts` | modify |");
    expect(parsePlanRecord(io.out)?.unverified_paths).toEqual([]);
    expect(io.err).toContain("symphony plan examples/issue-1.md --repo-dir examples/sample-repo");
    expect(io.err).toContain("Planning… 5/5 Code-Visualizer agent");
  });
});
