// The PlanRecord as JSON in a hidden HTML comment, so later steps read the plan back from GitHub.
import { PlanRecordSchema, type PlanRecord } from "../../agents/conductor/plan-record.js";
import { compactJson } from "../../context/compact-json.js";
import { redactSecrets } from "../../comments/secrets.js";

const OPENING = "<!-- symphony:plan-data";
const BLOCK = /<!-- symphony:plan-data\n([^\n]*)\n-->/g;

/**
 * The hidden block. `<`, `>` and `&` are written as JSON escapes, so no text inside can close the
 * comment (`-->`) or open another; the JSON stays on one line so line-ending changes cannot touch it.
 */
export function planDataBlock(record: PlanRecord, maxChars: number): string {
  const encode = (r: PlanRecord): string =>
    `${OPENING}\n${escapeJson(redactSecrets(JSON.stringify(r)))}\n-->`;
  const full = encode(record);
  if (full.length <= maxChars) return full;
  const compacted = compactJson(
    { ...record, compacted: true },
    (r) => encode(r).length <= maxChars,
  );
  return encode(compacted);
}

function escapeJson(json: string): string {
  return json
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The plan stored in a Symphony plan comment, or undefined when the comment holds none or it was
 * altered into something that is not a valid plan. The renderer writes the block after all model
 * text and breaks every `<!--` inside that text, so the last block is the one Symphony wrote.
 */
export function parsePlanRecord(commentBody: string): PlanRecord | undefined {
  const blocks = [...commentBody.replace(/\r\n?/g, "\n").matchAll(BLOCK)];
  const json = blocks.at(-1)?.[1];
  if (!json) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = PlanRecordSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
