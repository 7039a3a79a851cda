// Each review agent's model and why: the Editor's review step learned per repository among
// `models.conductor`'s models (from what became of its findings), the others as configured.
import { routedReason } from "../../agents/conductor/bandit.js";
import { REVIEW_PROMPT_VERSION } from "../../agents/editor/review.js";
import type { AppRuntime } from "../../app/services.js";
import type { RepoConfig } from "../../config/schema.js";
import { chooseLearnedArm, learningModels } from "../plan/conductor-arms.js";
import type { ReviewFeedback } from "./review-feedback.js";
import type { ReviewArm } from "./run-details.js";

export interface ReviewArms {
  /** The model per agent the review asks for: the config's pins, and the learned Editor arm. */
  models: { editor?: string; planner?: string; visualizer?: string };
  arms: ReviewArm[];
}

export interface ReviewArmsInput {
  config: RepoConfig;
  runtime: Pick<AppRuntime, "allowedModels" | "modelFor">;
  feedback: ReviewFeedback;
  random?: () => number;
}

const REVIEW_AGENTS = ["editor", "planner", "visualizer"] as const;

/**
 * The Editor's arm is Thompson-sampled where the repository learns (`models.conductor` lists two
 * or more allowed models) and does not pin `models.editor`; GitHub is read for it only then. The
 * overview's Planner and Code-Visualizer use their pin or the operator's routing.
 */
export async function chooseReviewArms(input: ReviewArmsInput): Promise<ReviewArms> {
  const { config, runtime } = input;
  const models = learningModels(config, runtime.allowedModels?.() ?? []);
  const learning = models.length >= 2 && config.models.editor === undefined;
  const chosen: ReviewArms = {
    models: {
      editor: config.models.editor,
      planner: config.models.planner,
      visualizer: config.models.visualizer,
    },
    arms: [],
  };
  if (learning) {
    const arm = chooseLearnedArm({
      agent: "editor",
      promptVersion: REVIEW_PROMPT_VERSION,
      models,
      evidence: await input.feedback.evidence(),
      modelFor: (agent, requested) => runtime.modelFor?.(agent, requested),
      ...(input.random ? { random: input.random } : {}),
    });
    chosen.models.editor = arm.model;
    chosen.arms.push({ agent: "editor", model: arm.model, reason: arm.reason });
  }
  for (const agent of REVIEW_AGENTS) {
    if (agent === "editor" && learning) continue;
    const pinned = config.models[agent];
    const routed = runtime.modelFor?.(agent, pinned);
    if (routed === undefined) continue;
    const why = routedReason(agent, routed);
    const reason =
      pinned !== undefined
        ? why
        : agent === "editor"
          ? `learning is off (models.conductor): ${why}`
          : `reviews learn only the Editor's findings: ${why}`;
    chosen.arms.push({ agent, model: routed.model, reason });
  }
  return chosen;
}
