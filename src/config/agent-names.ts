// The seven agents by name, and what users call them: the names that key `models.*` in the
// settings, the usage records, progress lines and metrics. src/agents/registry.ts builds on it;
// it lives here, below agents/, because the settings schema needs it too.
import { z } from "zod";

export const AGENT_NAMES = [
  "conductor",
  "enhancer",
  "feature",
  "planner",
  "coordinator",
  "visualizer",
  "editor",
] as const;

export const agentNameSchema = z.enum(AGENT_NAMES);
export type AgentName = z.infer<typeof agentNameSchema>;

/** The agents that call a model themselves; the Conductor composes them and calls none. */
export type ModelAgentName = Exclude<AgentName, "conductor">;

export const MODEL_AGENT_NAMES = AGENT_NAMES.filter(
  (name): name is ModelAgentName => name !== "conductor",
);

/** Each agent as users read it named, in progress lines, errors and docs. */
export const AGENT_LABELS: Record<AgentName, string> = {
  conductor: "Conductor",
  enhancer: "Enhancer-Prompt agent",
  feature: "Feature agent",
  planner: "Planner agent",
  coordinator: "Coordinator agent",
  visualizer: "Code-Visualizer agent",
  editor: "Editor",
};

export function isAgentName(name: string): name is AgentName {
  return (AGENT_NAMES as readonly string[]).includes(name);
}
