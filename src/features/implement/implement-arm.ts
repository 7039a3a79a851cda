// The Editor's arm for an implementation: learned per repository from Symphony's draft pull
// requests merged or closed unmerged, kept in each pull request's body to be rated later.
import { z } from "zod";
import { routedReason } from "../../agents/conductor/bandit.js";
import {
  ArmUseSchema,
  tallyEvidence,
  type ArmUse,
  type ChosenArm,
  type RatedOutput,
} from "../../agents/conductor/evidence.js";
import { EDIT_PROMPT_VERSIONS } from "../../agents/editor/edit-prompt.js";
import type { AppRuntime } from "../../app/services.js";
import type { RepoConfig } from "../../config/schema.js";
import { readHiddenState, renderHiddenState } from "../../comments/hidden-state.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { readFeedback, type Feedback } from "../../github/feedback.js";
import { chooseLearnedArm, learningModels } from "../plan/conductor-arms.js";

/**
 * The prompt an implementation's arm names: the Editor picks one of its two edit prompts per
 * file, so the arm is the model with both ("editor.edit/2.2"); a change to either starts anew.
 */
export const IMPLEMENT_PROMPT_VERSION = `editor.edit/${[
  EDIT_PROMPT_VERSIONS.search_replace,
  EDIT_PROMPT_VERSIONS.whole_file,
]
  .map((version) => version.split("/").at(-1))
  .join(".")}`;

const STATE_KIND = "implement-arm";
const implementArmSchema = z.object({ arms: z.array(ArmUseSchema).max(4) });

/** The hidden block at the end of the pull request's body: the arm that made its commits. */
export function renderImplementArm(arm: ArmUse): string {
  return renderHiddenState(STATE_KIND, implementArmSchema.parse({ arms: [arm] }));
}

/** Every closed Symphony pull request whose body names its arm: kept when merged, else rejected. */
export function ratedImplementations(feedback: Pick<Feedback, "pulls">): RatedOutput[] {
  return feedback.pulls.flatMap((pull): RatedOutput[] => {
    const state = readHiddenState(pull.body, STATE_KIND, implementArmSchema);
    return state ? [{ arms: state.arms, kept: pull.merged }] : [];
  });
}

export interface ImplementArmInput {
  client: GitHubClient;
  repo: RepoRef;
  config: RepoConfig;
  runtime: Pick<AppRuntime, "allowedModels" | "modelFor">;
  botLogin: string;
  random?: () => number;
}

/**
 * The Editor's arm and why: Thompson-sampled where the repository learns and does not pin
 * `models.editor` (GitHub is read only then), otherwise the model the runtime will use; undefined
 * where the runtime does not say (test doubles).
 */
export async function chooseImplementArm(
  input: ImplementArmInput,
): Promise<{ arm: ChosenArm; learned: boolean } | undefined> {
  const { config, runtime } = input;
  const models = learningModels(config, runtime.allowedModels?.() ?? []);
  const pinned = config.models.editor;
  if (models.length >= 2 && pinned === undefined) {
    const feedback = await readFeedback(input.client, input.repo, input.botLogin);
    const arm = chooseLearnedArm({
      agent: "editor",
      promptVersion: IMPLEMENT_PROMPT_VERSION,
      models,
      evidence: tallyEvidence(ratedImplementations(feedback)),
      modelFor: (agent, requested) => runtime.modelFor?.(agent, requested),
      ...(input.random ? { random: input.random } : {}),
    });
    return { arm, learned: true };
  }
  const routed = runtime.modelFor?.("editor", pinned);
  if (routed === undefined) return undefined;
  const why = routedReason("editor", routed);
  const reason = pinned === undefined ? `learning is off (models.conductor): ${why}` : why;
  return {
    arm: { agent: "editor", model: routed.model, promptVersion: IMPLEMENT_PROMPT_VERSION, reason },
    learned: false,
  };
}
