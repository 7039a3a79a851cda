// What maintainers did with Symphony's output, turned into kept / rejected counts per agent and
// arm. Read back from GitHub on every choice, so the evidence survives restarts with no store.
import { z } from "zod";
import { ArmSchema, armKey, type ArmRecord } from "./bandit.js";

/** Which arm one agent ran with, as records keep it to be rated later. */
export const ArmUseSchema = ArmSchema.extend({ agent: z.string().min(1).max(40) });
export type ArmUse = z.infer<typeof ArmUseSchema>;

/** The arm one agent ran with in one run, and why the Conductor chose it. */
export const ChosenArmSchema = ArmUseSchema.extend({ reason: z.string().max(300) });
export type ChosenArm = z.infer<typeof ChosenArmSchema>;

/** One output people reacted to, with the arms that made it. */
export interface RatedOutput {
  /** Which agents ran with which arm (from the plan record's usage or the arms it names). */
  arms: readonly ArmUse[];
  /** True when kept (👍 outnumber 👎, its PR merged), false when rejected; undefined: no verdict. */
  kept: boolean | undefined;
  /**
   * How much the verdict counts, in (0, 1]; default 1. A weaker signal counts part of a verdict
   * (a plan refined rather than thrown away, a finding's line changed without the fix being
   * certain): the posterior takes fractional counts as they come.
   */
  weight?: number;
}

/** Each agent's first arm among the usage records of one output, as tallyEvidence counts them. */
export function armsOfUsage(
  usage: readonly { agent: string; model: string; promptVersion: string }[],
): ArmUse[] {
  const seen = new Set<string>();
  return usage.flatMap(({ agent, model, promptVersion }) => {
    if (seen.has(agent)) return [];
    seen.add(agent);
    return [{ agent, model, promptVersion }];
  });
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
      const weight = Math.min(1, Math.max(0, output.weight ?? 1));
      if (output.kept) record.kept += weight;
      else record.rejected += weight;
      records.set(armKey(arm), record);
      byAgent.set(agent, records);
    }
  }
  return new Map([...byAgent].map(([agent, records]) => [agent, [...records.values()]]));
}
