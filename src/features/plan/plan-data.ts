// The PlanRecord in the plan comment's hidden state, so later steps read the plan back from GitHub.
import { PlanRecordSchema, type PlanRecord } from "../../agents/conductor/plan-record.js";
import { compactJson } from "../../context/compact-json.js";
import { readHiddenState, renderHiddenState } from "../../comments/hidden-state.js";
import { redactSecrets } from "../../comments/secrets.js";

const STATE_KIND = "plan";

/**
 * The hidden block, through the one codec, with every string redacted (the record holds model
 * text that the visible comment shows only sanitised); compacted when it would not fit.
 */
export function planDataBlock(record: PlanRecord, maxChars: number): string {
  const encode = (r: PlanRecord): string => renderHiddenState(STATE_KIND, redactStrings(r));
  const full = encode(record);
  if (full.length <= maxChars) return full;
  const compacted = compactJson(
    { ...record, compacted: true },
    (r) => encode(r).length <= maxChars,
  );
  return encode(compacted);
}

function redactStrings<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) =>
    typeof item === "string" ? redactSecrets(item) : item,
  ) as T;
}

/**
 * The plan stored in a Symphony plan comment, or undefined when the comment holds none or it was
 * altered into something that is not a valid plan. Only the block that ends the comment counts:
 * the renderer writes it after all model text, so a lookalike above it is never read. Comments
 * written before the one codec end with a `<!-- symphony:plan-data` block, read the same way.
 */
export function parsePlanRecord(commentBody: string): PlanRecord | undefined {
  return (
    readHiddenState(commentBody, STATE_KIND, PlanRecordSchema) ?? legacyPlanRecord(commentBody)
  );
}

const LEGACY_OPENING = "<!-- symphony:plan-data\n";
const LEGACY_END = "\n-->";

function legacyPlanRecord(commentBody: string): PlanRecord | undefined {
  const body = commentBody.replace(/\r\n?/g, "\n").trimEnd();
  if (!body.endsWith(LEGACY_END)) return undefined;
  const from = body.lastIndexOf(LEGACY_OPENING);
  if (from < 0) return undefined;
  const json = body.slice(from + LEGACY_OPENING.length, -LEGACY_END.length);
  if (json.includes("\n")) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = PlanRecordSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
