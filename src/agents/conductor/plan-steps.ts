// What the planning pipeline reports as it goes, and how many model calls one plan may make.
import type { PlanAgentName } from "../registry.js";

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
