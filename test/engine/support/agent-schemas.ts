// Every reply schema Symphony sends a model (Ollama `format`, OpenAI `response_format`), by the
// agent step that sends it. A new generateObject call belongs here, or the engine test cannot
// vouch for it. The Editor's edit step is not here: it asks for plain text, with no schema.
import type { z } from "zod";
import { TaskListReplySchema } from "../../../src/agents/coordinator/schema.js";
import { reviewAnswerSchema } from "../../../src/agents/editor/review-answer.js";
import { reviewReplySchema } from "../../../src/agents/editor/review.js";
import { IntentSchema } from "../../../src/agents/enhancer/schema.js";
import { DeeperReplySchema, EpicReplySchema } from "../../../src/agents/feature/schema.js";
import { FilesReplySchema } from "../../../src/agents/planner/files-prompt.js";
import { reviewRemarksSchema } from "../../../src/agents/planner/review-remarks.js";
import { PlanReplySchema } from "../../../src/agents/planner/schema.js";
import { diagramReplySchema } from "../../../src/agents/visualizer/review-diagram.js";
import { VisualSchema } from "../../../src/agents/visualizer/schema.js";
import type { HotspotRow } from "../../../src/features/refactor/hotspots.js";
import { plannerReplySchema } from "../../../src/features/refactor/suggest.js";

/** A hotspot with the most functions the refactor prompt lists, for the widest target enum. */
const hotspot = {
  worstFunctions: ["render", "parse", "handleEvent", "retryLater", "main"].map((name) => ({
    name,
  })),
} as unknown as HotspotRow;

export const AGENT_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  "enhancer: intent": IntentSchema,
  "feature: epic": EpicReplySchema,
  "feature: deeper": DeeperReplySchema,
  "planner: files to read": FilesReplySchema,
  "planner: plan": PlanReplySchema,
  "coordinator: tasks": TaskListReplySchema,
  "visualizer: visual": VisualSchema,
  "editor: review findings": reviewReplySchema,
  "planner: review remarks": reviewRemarksSchema,
  "visualizer: review diagram": diagramReplySchema,
  "editor: ask": reviewAnswerSchema,
  "planner: refactor suggestions": plannerReplySchema(hotspot),
};
