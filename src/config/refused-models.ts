// The repository's model choices (`models.<agent>`) the operator does not allow: the runtime
// quietly runs its default model instead, so the run details and the CLI say so.

/** A `models.<agent>` setting that did not run, and the model that ran instead. */
export interface RefusedModel {
  /** The agent's key under `models` ("planner"). */
  agent: string;
  /** The model the settings name. */
  model: string;
  /** The model that answered the agent instead. */
  ran: string;
}

/**
 * Each agent whose configured model is outside `allowed` and did not answer it (per the usage
 * records). An empty `allowed` means the runtime did not say what it allows: nothing is refused.
 */
export function refusedModels(
  models: Readonly<Partial<Record<string, string>>>,
  allowed: readonly string[],
  usage: readonly { agent: string; model: string }[],
): RefusedModel[] {
  if (allowed.length === 0) return [];
  const refused = new Map<string, RefusedModel>();
  for (const { agent, model: ran } of usage) {
    const model = models[agent];
    if (model === undefined || model === ran || allowed.includes(model)) continue;
    if (!refused.has(agent)) refused.set(agent, { agent, model, ran });
  }
  return [...refused.values()];
}

/** One sentence per refusal; `code` formats names (the comments' inline-code escaping). */
export function describeRefusedModel(
  refused: RefusedModel,
  code: (text: string) => string = (text) => `\`${text}\``,
): string {
  return (
    `${code(`models.${refused.agent}`)} names ${code(refused.model)}, which the operator does not ` +
    `allow (${code("SYMPHONY_ALLOWED_MODELS")}), so ${code(refused.ran)} ran instead.`
  );
}
