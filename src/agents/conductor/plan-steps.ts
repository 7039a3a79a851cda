// The agents of the planning pipeline as the user sees them named in progress and errors.
export const PLAN_AGENT_NAMES = [
  "enhancer",
  "feature",
  "planner",
  "coordinator",
  "visualizer",
] as const;

export type PlanAgentName = (typeof PLAN_AGENT_NAMES)[number];

export const AGENT_LABELS: Record<PlanAgentName, string> = {
  enhancer: "Enhancer-Prompt agent",
  feature: "Feature agent",
  planner: "Planner agent",
  coordinator: "Coordinator agent",
  visualizer: "Code-Visualizer agent",
};

/** What the pipeline is doing now: "Planning… 2/5 Feature agent". */
export interface PlanProgress {
  step: number;
  total: number;
  agent: PlanAgentName;
  /** The agent's name as users read it, with what it is doing when that helps. */
  label: string;
  /** Agents running now, where steps run side by side; absent: just `agent`. */
  running?: readonly PlanAgentName[];
  /** Agents done so far, where steps run side by side. */
  finished?: readonly PlanAgentName[];
  /** The Enhancer's restated problem, once it has one, for the status comment. */
  brief?: string;
}

/** Model calls one plan may make: five agents and one second Planner round to read files. */
export const MAX_MODEL_CALLS = 6;
