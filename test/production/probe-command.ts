// A test feature for the production suite (and the load bench): `/symphony plan` that goes
// through startRun like every feature, makes one structured model call and posts its answer.
import { z } from "zod";
import type { SymphonyCommand } from "../../src/app/commands.js";
import { startRun } from "../../src/app/start-run.js";
import {
  CALLER_RESERVE,
  fitSections,
  GITHUB_COMMENT_LIMIT,
} from "../../src/comments/comment-size.js";
import { inlineProse } from "../../src/comments/sanitise.js";
import type { ModelRuntime } from "../../src/runner/types.js";

export const ProbeAnswer = z.object({ answer: z.string() });

/**
 * `/symphony plan` as a test feature: the status comment through startRun, then one structured
 * model call (for the repository's `models.planner`, when set) whose answer (or failure, in the
 * runtime's public words) becomes the status comment.
 */
export function probeCommand(): SymphonyCommand {
  return {
    name: "plan",
    usage: "/symphony plan",
    summary: "A probe for tests.",
    run: async ({ context, config, services, log }) => {
      const { issue, comment, sender } = context.payload;
      await startRun({
        client: context.octokit,
        repo: context.repo(),
        services,
        config,
        event: {
          name: "issue_comment.created",
          deliveryId: context.id,
          sender: sender.login,
          commentId: comment.id,
        },
        number: issue.number,
        marker: { kind: "probe", key: String(issue.number) },
        initialStatus: "⏳ Working…",
        whileRunning: "follow-up",
        log,
        run: async ({ status, signal }) => {
          try {
            const answer = await askModel(
              services.runtime,
              issue.body ?? "",
              signal,
              config.models.planner,
            );
            await status.flush(renderAnswer(answer));
          } catch (error) {
            const reason = error instanceof Error ? error.message : "an unexpected error";
            await status.flush(`❌ Symphony could not finish: ${inlineProse(reason)}`);
          }
        },
      });
    },
  };
}

/** The answer made safe, folded (never cut mid-line) when it would pass GitHub's limit. */
function renderAnswer(answer: string): string {
  const limit = GITHUB_COMMENT_LIMIT - CALLER_RESERVE;
  const whole = `✅ ${inlineProse(answer)}`;
  if (whole.length <= limit) return whole;
  return fitSections(
    [
      { head: "✅ The answer:", priority: 0 },
      {
        head: "",
        items: answer.split("\n").map((line) => inlineProse(line)),
        priority: 1,
        whenLeftOut: "_The rest of the answer was too long for a comment._",
      },
    ],
    limit,
  );
}

/** One structured call, for the model the repository's config names for the Planner if any. */
async function askModel(
  runtime: ModelRuntime,
  body: string,
  signal: AbortSignal,
  model: string | undefined,
): Promise<string> {
  const { value } = await runtime.generateObject({
    agent: "planner",
    ...(model === undefined ? {} : { model }),
    promptVersion: "probe-1",
    messages: [{ role: "user", content: body }],
    schema: ProbeAnswer,
    signal,
  });
  return value.answer;
}
