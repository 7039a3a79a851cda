// Enhancer-Prompt agent's output: the issue rewritten as a precise technical brief and classified.
// Fields are generated in this order, so the restatement comes before the kind it decides.
import { z } from "zod";

export const IntentKindSchema = z.enum(["bug", "feature", "refactor", "question", "docs"]);

export const IntentSchema = z.object({
  title: z.string().min(1).max(200).describe("A short, precise title for the work."),
  problem_statement: z
    .string()
    .min(1)
    .max(3000)
    .describe(
      "The problem in precise terms: current behaviour, wanted behaviour, who is affected.",
    ),
  kind: IntentKindSchema.describe("What the issue asks for."),
  enhanced_prompt: z
    .string()
    .max(4000)
    .describe("The request rewritten as a clear, self-contained brief for the next agents."),
  requirements: z.array(z.string().max(300)).max(12).describe("What the result must do."),
  constraints: z.array(z.string().max(300)).max(12).describe("Limits the work must respect."),
  open_questions: z
    .array(z.string().max(300))
    .max(8)
    .describe("What the issue leaves unclear; assumptions the plan will make."),
  answer: z
    .string()
    .max(6000)
    .describe(
      "Only when kind is question: the answer, grounded in the repository. Otherwise empty.",
    ),
});

export type IntentKind = z.infer<typeof IntentKindSchema>;
export type Intent = z.infer<typeof IntentSchema>;
