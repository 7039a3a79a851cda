// The operator's routing by task: which model (or model tier) each agent uses unless the
// repository's config picks another among the allowed ones.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** Agent name → model name, resolved through the tiers. */
export type AgentModels = Readonly<Record<string, string>>;

const name = z.string().regex(/^[^\s=,]+$/);
const routingFileSchema = z.strictObject({
  tiers: z.record(name, name).default({}),
  agents: z.record(name, name).default({}),
});

/**
 * Reads `SYMPHONY_MODEL_TIERS` ("fast=llama3.2:3b,coder=qwen2.5-coder:14b"),
 * `SYMPHONY_AGENT_MODELS` ("enhancer=fast,visualizer=fast,editor=coder"; a value that names no
 * tier is a model) and the operator file `SYMPHONY_ROUTING_FILE` (YAML with `tiers:` and
 * `agents:`), the variables winning over the file.
 * @throws TypeError with a sentence naming the variable or file at fault.
 */
export function readAgentRouting(env: NodeJS.ProcessEnv): AgentModels {
  const file = env["SYMPHONY_ROUTING_FILE"]?.trim();
  const fromFile = file ? readRoutingFile(file) : { tiers: {}, agents: {} };
  const tiers = { ...fromFile.tiers, ...pairs(env, "SYMPHONY_MODEL_TIERS") };
  const agents = { ...fromFile.agents, ...pairs(env, "SYMPHONY_AGENT_MODELS") };
  return Object.fromEntries(
    Object.entries(agents).map(([agent, tierOrModel]) => [
      agent,
      tiers[tierOrModel] ?? tierOrModel,
    ]),
  );
}

function pairs(env: NodeJS.ProcessEnv, variable: string): Record<string, string> {
  const raw = env[variable]?.trim();
  if (!raw) return {};
  const result: Record<string, string> = {};
  for (const entry of raw.split(/[\s,]+/).filter((part) => part !== "")) {
    const at = entry.indexOf("=");
    const key = entry.slice(0, at);
    const value = entry.slice(at + 1);
    if (at <= 0 || !name.safeParse(value).success) {
      throw new TypeError(
        `${variable} must be a comma-separated list of name=model pairs (the entry "${entry}" is not)`,
      );
    }
    result[key] = value;
  }
  return result;
}

function readRoutingFile(path: string): z.infer<typeof routingFileSchema> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new TypeError(`SYMPHONY_ROUTING_FILE names ${path}, which cannot be read`);
  }
  let parsed;
  try {
    parsed = routingFileSchema.safeParse(parseYaml(text) ?? {});
  } catch {
    throw new TypeError(`SYMPHONY_ROUTING_FILE ${path} is not valid YAML`);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(
      `SYMPHONY_ROUTING_FILE ${path}: ${issue?.path.join(".") || "the file"} ${issue?.message ?? "is invalid"} ` +
        "(expected tiers: {name: model} and agents: {agent: tier or model})",
    );
  }
  return parsed.data;
}
