// The README as prompt text, cut with a visible note when it does not fit.
import { cutWithNote, type EstimateTokens } from "./budget.js";

export function renderReadme(
  readme: string | undefined,
  maxTokens: number,
  estimate: EstimateTokens,
): string {
  const text = (readme ?? "").trim();
  if (!text) return "(no README)";
  return cutWithNote(text, maxTokens, estimate, "README");
}
