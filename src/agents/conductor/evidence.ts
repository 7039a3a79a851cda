// What maintainers did with Symphony's output, turned into kept / rejected counts per agent and
// arm. Read back from GitHub on every choice, so the evidence survives restarts with no store.
import { z } from "zod";
import { ArmSchema, armKey, type ArmRecord } from "./bandit.js";

/** The arm one agent ran with in one run, and why the Conductor chose it. */
export const ChosenArmSchema = ArmSchema.extend({
  agent: z.string().min(1).max(40),
  reason: z.string().max(300),
});
export type ChosenArm = z.infer<typeof ChosenArmSchema>;

/** One output people reacted to, with the arms that made it. */
export interface RatedOutput {
  /** Which agents ran with which arm (from the plan record's usage or the arms it names). */
  arms: readonly { agent: string; model: string; promptVersion: string }[];
  /** True when kept (👍 outnumber 👎, its PR merged), false when rejected; undefined: no verdict. */
  kept: boolean | undefined;
}

/** 👍 against 👎 on one comment: a verdict only where they differ. */
export function verdictOfReactions(plusOne: number, minusOne: number): boolean | undefined {
  if (plusOne === minusOne) return undefined;
  return plusOne > minusOne;
}

/** Kept and rejected counts per agent and arm, the same agent counted once per output. */
export function tallyEvidence(outputs: readonly RatedOutput[]): Map<string, ArmRecord[]> {
  const byAgent = new Map<string, Map<string, ArmRecord>>();
  for (const output of outputs) {
    if (output.kept === undefined) continue;
    const seen = new Set<string>();
    for (const { agent, model, promptVersion } of output.arms) {
      if (seen.has(agent)) continue;
      seen.add(agent);
      const arm = { model, promptVersion };
      const records = byAgent.get(agent) ?? new Map<string, ArmRecord>();
      const record = records.get(armKey(arm)) ?? { arm, kept: 0, rejected: 0 };
      if (output.kept) record.kept++;
      else record.rejected++;
      records.set(armKey(arm), record);
      byAgent.set(agent, records);
    }
  }
  return new Map([...byAgent].map(([agent, records]) => [agent, [...records.values()]]));
}
