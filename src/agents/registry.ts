// The agents by name: the one list that keys `models.*` in the settings, usage records, progress
// lines and metrics (src/config/agent-names.ts, below agents/ so the settings can use it), and
// the planning pipeline's agents, each defined with defineAgent.
import { splitIntoTasks } from "./coordinator/prompt.js";
import { enhanceRequest } from "./enhancer/prompt.js";
import { extractEpic } from "./feature/prompt.js";
import { designPlan } from "./planner/prompt.js";
import { visualizeLogic } from "./visualizer/prompt.js";
import type { ModelAgentName } from "../config/agent-names.js";

export {
  AGENT_LABELS,
  AGENT_NAMES,
  isAgentName,
  type AgentName,
  type ModelAgentName,
} from "../config/agent-names.js";

/** The planning pipeline's agents, in the order they run. */
export const PLAN_AGENT_NAMES = [
  "enhancer",
  "feature",
  "planner",
  "coordinator",
  "visualizer",
] as const satisfies readonly ModelAgentName[];

export type PlanAgentName = (typeof PLAN_AGENT_NAMES)[number];

export const PLAN_AGENTS = {
  enhancer: enhanceRequest,
  feature: extractEpic,
  planner: designPlan,
  coordinator: splitIntoTasks,
  visualizer: visualizeLogic,
} satisfies Record<PlanAgentName, { name: PlanAgentName; promptVersion: string }>;
