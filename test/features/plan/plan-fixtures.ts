// Fixtures of the plan feature that need no test runner (the bench uses them too): the files
// of the fixture repository and each planning agent's reply, chosen by the schema a request sent.
import {
  epicReply,
  filesReply,
  intentReply,
  planReply,
  taskListReply,
  visualReply,
} from "../../agents/fixtures.js";
import type { JsonObject, RecordedRequest } from "../../support/model-server.js";

export const MODEL = "qwen2.5-coder:14b";

/** The files of the fixture repository the fixture replies name. */
export const FIXTURE_FILES = [
  "README.md",
  "package.json",
  "src/index.ts",
  "src/handlers/issues.ts",
  "src/github/comments.ts",
  "src/config.ts",
  "test/handlers/issues.test.ts",
  "docs/usage.md",
];

/** The fixture reply of the agent whose JSON Schema the request sent in `format`. */
export function fixtureReplyFor(request: RecordedRequest): unknown {
  const agent = agentOf(request.body);
  if (agent === "enhancer") return intentReply();
  if (agent === "feature") return epicReply();
  if (agent === "planner-files") return filesReply();
  if (agent === "planner") return planReply();
  if (agent === "coordinator") return taskListReply();
  if (agent === "visualizer") return visualReply();
  return undefined;
}

/**
 * Which planning agent a chat request is for, told by the top-level fields of its schema;
 * "planner-files" is the Planner's choice of files to read, before it designs.
 */
export function agentOf(body: JsonObject | undefined): string | undefined {
  const format = body?.["format"];
  if (typeof format !== "object" || format === null || Array.isArray(format)) return undefined;
  const properties = format["properties"];
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
    return undefined;
  }
  if ("what_to_check" in properties) return "planner-files";
  if ("problem_statement" in properties) return "enhancer";
  if ("epic" in properties) return "feature";
  if ("technology_stack" in properties) return "planner";
  if ("tasks" in properties) return "coordinator";
  if ("mermaid" in properties) return "visualizer";
  return undefined;
}
