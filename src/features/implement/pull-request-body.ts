// The draft pull request as reviewers read it: `Closes #<n>`, the task checklist mapped to
// commits, what failed and why, the build files that need a human look, the follow-up commits
// made on review, and the folded footer.
import { z } from "zod";
import type { ArmUse, ChosenArm } from "../../agents/conductor/evidence.js";
import { toPlanUsage, type PlanRecord } from "../../agents/conductor/plan-record.js";
import { readHiddenState, renderHiddenState } from "../../comments/hidden-state.js";
import { renderMarker } from "../../github/markers.js";
import { GITHUB_COMMENT_LIMIT } from "../../comments/comment-size.js";
import { buildFileKind } from "../../editing/build-files.js";
import { runDetails } from "../plan/run-details.js";
import { inlineCode, inlineProse } from "../../comments/sanitise.js";
import type { UsageRecord } from "../../runner/types.js";
import { renderImplementArm } from "./implement-arm.js";
import type { TaskOutcome } from "./types.js";

const TITLE_LIMIT = 200;

/** From the EPIC's name; a plan without one falls back to the issue's title as the Enhancer read it. */
export function pullRequestTitle(record: PlanRecord): string {
  const name = record.epic?.epic.name ?? record.intent.title;
  const title = name.replace(/\s+/g, " ").trim();
  return title.length <= TITLE_LIMIT ? title : `${title.slice(0, TITLE_LIMIT - 1)}…`;
}

export interface PullRequestBodyInput {
  issueNumber: number;
  tasks: readonly TaskOutcome[];
  usage: readonly UsageRecord[];
  record: PlanRecord;
  planUrl?: string;
  /** Follow-up commits made on review so far, carried over from the body being replaced. */
  followUps?: readonly FollowUpCommit[];
  /** Paths the body being replaced listed as needing a human look (earlier runs' commits). */
  humanLook?: readonly string[];
  /** The Editor's arm and why, named in the footer and kept at the end to be rated on merge. */
  arm?: ChosenArm;
}

export function renderPullRequestBody(input: PullRequestBodyInput): string {
  const { issueNumber, tasks } = input;
  const done = tasks.filter((t) => t.status === "committed" || t.status === "already_done").length;
  const plan = input.planUrl === undefined ? "plan" : `[plan](${input.planUrl})`;
  const lines = [
    renderMarker({ kind: "implement-pr", key: String(issueNumber) }),
    `Closes #${issueNumber}`,
    "",
    `Symphony implemented the ${plan} of #${issueNumber}: ${done} of ${tasks.length} task${tasks.length === 1 ? "" : "s"} committed, one commit per task. Nothing the model wrote was run; review every change before marking this ready.`,
    "",
    "### Tasks",
    "",
    ...tasks.map(checklistLine),
  ];
  const failures = tasks.flatMap(failureLines);
  if (failures.length > 0) lines.push("", "### What failed", "", ...failures);
  const followUps = input.followUps ?? [];
  const changed = [
    ...(input.humanLook ?? []),
    ...tasks.flatMap((task) => (task.status === "committed" ? task.files : [])),
    ...followUps.map((commit) => commit.path),
  ];
  const look = humanLookSection(changed);
  if (look !== undefined) lines.push("", look);
  if (followUps.length > 0) lines.push("", followUpSection(followUps));
  lines.push("", footer(input));
  // Last, where the one codec reads it back when the pull request is merged or closed.
  const state = input.arm ? `\n${renderImplementArm(armUse(input.arm))}` : "";
  const body = lines.join("\n");
  return body.length + state.length <= GITHUB_COMMENT_LIMIT
    ? `${body}${state}`
    : `${body.slice(0, GITHUB_COMMENT_LIMIT - 40 - state.length)}\n\n_(shortened to fit GitHub)_${state}`;
}

function armUse({ agent, model, promptVersion }: ChosenArm): ArmUse {
  return { agent, model, promptVersion };
}

/** One commit the Editor made for a review comment, as the pull request's body records it. */
export const followUpCommitSchema = z.object({
  sha: z.string(),
  /** The review comment it addressed (the review itself for a review with only a body). */
  comment: z.number().int(),
  url: z.string().optional(),
  path: z.string(),
  line: z.number().int().optional(),
  /** The comment's first line, as the reviewer wrote it. */
  request: z.string(),
});
export type FollowUpCommit = z.infer<typeof followUpCommitSchema>;

const FOLLOW_UPS_STATE = "follow-ups";
const SECTION_START = renderMarker({ kind: "follow-ups", key: "start" });
const SECTION_END = renderMarker({ kind: "follow-ups", key: "end" });
const FOOTER_START = "\n<details>\n<summary>How this was made</summary>";
/** The newest ones are kept: the list is a trail for reviewers, and the body has a size limit. */
const MAX_FOLLOW_UPS = 50;

/** The follow-up commits a pull request body records; none when it has no (valid) record. */
export function readFollowUpCommits(body: string | null | undefined): FollowUpCommit[] {
  return (
    readHiddenState(body, FOLLOW_UPS_STATE, z.array(followUpCommitSchema), { where: "last" }) ?? []
  );
}

/**
 * The body with its follow-up section replaced by one listing `commits`, in place; a body
 * without one gets it before the folded footer. The rest of the body is left as it is.
 */
export function withFollowUpCommits(body: string, commits: readonly FollowUpCommit[]): string {
  let kept = commits.slice(-MAX_FOLLOW_UPS);
  for (;;) {
    const next = replaceSection(body, followUpSection(kept));
    if (next.length <= GITHUB_COMMENT_LIMIT || kept.length <= 1) return next;
    kept = kept.slice(Math.ceil(kept.length / 4));
  }
}

function replaceSection(body: string, section: string): string {
  const start = body.indexOf(SECTION_START);
  const end = body.indexOf(SECTION_END, start);
  if (start >= 0 && end >= 0) {
    return `${body.slice(0, start)}${section}${body.slice(end + SECTION_END.length)}`;
  }
  const footerAt = body.lastIndexOf(FOOTER_START);
  if (footerAt < 0) return `${body.trimEnd()}\n\n${section}`;
  return `${body.slice(0, footerAt).trimEnd()}\n\n${section}\n${body.slice(footerAt)}`;
}

function followUpSection(commits: readonly FollowUpCommit[]): string {
  return [
    SECTION_START,
    "### Follow-up commits",
    "",
    "Made on review, one commit per comment:",
    "",
    ...commits.map(followUpLine),
    renderHiddenState(FOLLOW_UPS_STATE, commits),
    SECTION_END,
  ].join("\n");
}

const HUMAN_LOOK_STATE = "human-look";
const HUMAN_LOOK_START = renderMarker({ kind: "human-look", key: "start" });
const HUMAN_LOOK_END = renderMarker({ kind: "human-look", key: "end" });

/** The paths a body lists as needing a human look; none when it has no (valid) list. */
export function readHumanLook(body: string | null | undefined): string[] {
  return readHiddenState(body, HUMAN_LOOK_STATE, z.array(z.string()), { where: "last" }) ?? [];
}

/**
 * "Needs a human look": every file the pull request changed that says how the project is built,
 * installed or run, since CI runs those with its secrets; undefined when there is none.
 */
function humanLookSection(changed: readonly string[]): string | undefined {
  const paths = [...new Set(changed)].filter((path) => buildFileKind(path) !== undefined).sort();
  if (paths.length === 0) return undefined;
  return [
    HUMAN_LOOK_START,
    "### Needs a human look",
    "",
    "These files change how the project is built, installed or run, and CI runs them with its secrets: read each change before marking this ready.",
    "",
    ...paths.map((path) => `- ${inlineCode(path)}: ${inlineProse(buildFileKind(path)!)}`),
    renderHiddenState(HUMAN_LOOK_STATE, paths),
    HUMAN_LOOK_END,
  ].join("\n");
}

/**
 * The body with its "needs a human look" section listing `changed` as well, in place; a body
 * without one gets it before the follow-up commits (or the footer). Unchanged when none of the
 * files is a build file.
 */
export function withHumanLook(body: string, changed: readonly string[]): string {
  const section = humanLookSection([...readHumanLook(body), ...changed]);
  if (section === undefined) return body;
  const start = body.indexOf(HUMAN_LOOK_START);
  const end = body.indexOf(HUMAN_LOOK_END, start);
  if (start >= 0 && end >= 0) {
    return `${body.slice(0, start)}${section}${body.slice(end + HUMAN_LOOK_END.length)}`;
  }
  const before = [body.indexOf(SECTION_START), body.lastIndexOf(FOOTER_START)].find(
    (at) => at >= 0,
  );
  if (before === undefined) return `${body.trimEnd()}\n\n${section}`;
  return `${body.slice(0, before).trimEnd()}\n\n${section}\n\n${body.slice(before).trimStart()}`;
}

function followUpLine(commit: FollowUpCommit): string {
  const where = commit.line === undefined ? commit.path : `${commit.path}:${commit.line}`;
  // The URL comes from a body anyone with write access may edit: only a plain https link is linked.
  const linkable = commit.url !== undefined && /^https:\/\/[^\s()<>]+$/.test(commit.url);
  const comment = linkable ? `[review comment](${commit.url})` : "a review comment";
  return `- ${commit.sha}: ${comment} on ${inlineCode(where)}: ${inlineProse(commit.request)}`;
}

function checklistLine(task: TaskOutcome): string {
  const name = `**${inlineProse(task.task_id)}** ${inlineProse(task.title)}`;
  switch (task.status) {
    case "committed":
    case "already_done":
      return `- [x] ${name}: ${task.commitSha}`;
    case "failed":
      return `- [ ] ${name}: failed, see below`;
    case "skipped":
      return `- [ ] ${name}: not attempted, ${inlineProse(task.reason)}`;
  }
}

function failureLines(task: TaskOutcome): string[] {
  if (task.status !== "failed") return [];
  const head = `- **${inlineProse(task.task_id)}** ${inlineProse(task.title)}: ${inlineProse(task.reason)}`;
  return [
    head,
    ...task.files.map((file) => `  - ${inlineCode(file.path)}: ${inlineProse(file.reason)}`),
  ];
}

function footer(input: PullRequestBodyInput): string {
  const hint =
    `To continue: comment \`/symphony implement\` on #${input.issueNumber} to retry what failed ` +
    "(new commits on this branch), or leave review comments here: each one gets a follow-up commit or a reply.";
  return runDetails(
    {
      ...input.record,
      usage: input.usage.map(toPlanUsage),
      context_notes: [],
      // The plan's arms are the planning agents'; this run's is the Editor's.
      arms: input.arm ? [input.arm] : [],
    },
    hint,
  );
}
