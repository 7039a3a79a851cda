// Every agent that asks for JSON, each with one small fixed input: the same prompts for the
// tests that check every prompt (examples, output rule) and for `npm run bench prompts`.
import { splitIntoTasks } from "../../src/agents/coordinator/prompt.js";
import type { DefinedAgent } from "../../src/agents/define-agent.js";
import { answerQuestion } from "../../src/agents/editor/review-answer.js";
import { reviewChunk, reviewInput } from "../../src/agents/editor/review.js";
import { enhanceRequest } from "../../src/agents/enhancer/prompt.js";
import { expandEpic, extractEpic } from "../../src/agents/feature/prompt.js";
import { chooseFilesToRead } from "../../src/agents/planner/files-prompt.js";
import { designPlan } from "../../src/agents/planner/prompt.js";
import { reviewRemarks } from "../../src/agents/planner/review-remarks.js";
import { reviewDiagram } from "../../src/agents/visualizer/review-diagram.js";
import { visualizeLogic } from "../../src/agents/visualizer/prompt.js";
import { suggestRefactor } from "../../src/features/refactor/suggest.js";
import { epicReply, intentReply, planReply, taskListReply } from "./fixtures.js";

/** One agent and an input for it, typed together. */
export interface AgentCase {
  label: string;
  agent: DefinedAgent<unknown, unknown>;
  input: unknown;
}

function agentCase<I>(label: string, agent: DefinedAgent<I, unknown>, input: I): AgentCase {
  return { label, agent: agent as DefinedAgent<unknown, unknown>, input };
}

const ISSUE = [
  "#42 Greet first-time contributors",
  "When someone opens their first issue, the bot should post a friendly welcome comment.",
  "@octocat: Please keep the message configurable.",
].join("\n\n");
const TREE = [
  "Repository files (8 files):",
  "README.md",
  "package.json",
  "src/index.ts",
  "src/handlers/issues.ts",
  "src/github/comments.ts",
  "src/config.ts",
  "test/handlers/issues.test.ts",
  "docs/usage.md",
].join("\n");
const README = "# Greeter\nA Probot app that greets people.";
const DIFF = [
  "File: src/handlers/issues.ts (modified, +3 -1)",
  "@@ -10,4 +10,6 @@ export function onIssueOpened(context) {",
  "    10   const issue = context.payload.issue;",
  "    11 + const count = await countIssues(issue.user.login);",
  "    12 + if (count = 1) {",
  "    13 +   await context.octokit.issues.createComment({ body: message });",
  "       -   return;",
  "    14   }",
].join("\n");
const OVERVIEW = `Pull request: Greet first issues\n\nDescription: (none)\n\nFiles (1):\n- src/handlers/issues.ts (modified, +3 -1)\n\nDiff:\n${DIFF}`;

/** Every JSON-reply agent on its fixed input, in the order a table shows them. */
export function agentCases(): AgentCase[] {
  const intent = intentReply();
  const plan = planReply();
  return [
    agentCase("enhancer", enhanceRequest, {
      issue_context: ISSUE,
      repository_overview: `${README}\n\n${TREE}`,
    }),
    agentCase("feature", extractEpic, { intent, issue_context: ISSUE }),
    agentCase("feature (deeper)", expandEpic, {
      intent,
      issue_context: ISSUE,
      epic: epicReply(),
      plan,
    }),
    agentCase("planner (files to read)", chooseFilesToRead, {
      issue_context: ISSUE,
      file_tree: TREE,
      chosen: ["src/handlers/issues.ts"],
    }),
    agentCase("planner", designPlan, {
      intent,
      epic: epicReply(),
      issue_context: ISSUE,
      readme: README,
      file_tree: TREE,
      file_contents: "",
    }),
    agentCase("coordinator", splitIntoTasks, { intent, epic: epicReply(), plan }),
    agentCase("visualizer", visualizeLogic, { intent, plan, tasks: taskListReply().tasks }),
    agentCase(
      "review findings",
      reviewChunk,
      reviewInput({ index: 0, text: DIFF }, { title: "Greet first issues" }),
    ),
    agentCase("review remarks", reviewRemarks, { overview: OVERVIEW }),
    agentCase("review diagram", reviewDiagram, { overview: OVERVIEW }),
    agentCase("ask (answer)", answerQuestion, {
      question: "Does this greet only the first issue?",
      pullRequest: { number: 7, title: "Greet first issues" },
      diff: `Diff:\n${DIFF}`,
    }),
    agentCase("refactor suggester", suggestRefactor, {
      figures: [
        "File: src/handlers/issues.ts (typescript, 120 lines)",
        "Changes in the window: 9 commits",
      ],
      targets: ["onIssueOpened"],
      functions:
        "Function onIssueOpened, lines 10–60 (50 lines), cognitive 14, cyclomatic 9:\n<code>\nexport async function onIssueOpened(context) {\n  // …\n}\n</code>\n",
      dismissed: [],
    }),
  ];
}
