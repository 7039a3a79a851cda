import { describe, expect, it } from "vitest";
import {
  armKey,
  chooseArm,
  type Arm,
  type ArmRecord,
} from "../../../src/agents/conductor/bandit.js";

/** mulberry32: a small seeded generator, so each simulated repository is the same every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const A: Arm = { model: "qwen2.5-coder:14b", promptVersion: "planner@1" };
const B: Arm = { model: "llama3.2:3b", promptVersion: "planner@1" };

/** A repository whose maintainers keep each arm's output at its own rate; picks counted. */
function simulate(approval: Map<Arm, number>, runsCount: number, seed: number): Map<Arm, number> {
  const random = seeded(seed);
  const world = seeded(seed ^ 0x9e3779b9);
  const records = new Map<string, ArmRecord>();
  const picks = new Map<Arm, number>([...approval.keys()].map((arm) => [arm, 0]));
  for (let run = 0; run < runsCount; run++) {
    const { arm } = chooseArm({
      arms: [...approval.keys()],
      records: [...records.values()],
      random,
    });
    picks.set(arm, picks.get(arm)! + 1);
    const record = records.get(armKey(arm)) ?? { arm, kept: 0, rejected: 0 };
    if (world() < approval.get(arm)!) record.kept++;
    else record.rejected++;
    records.set(armKey(arm), record);
  }
  return picks;
}

describe("chooseArm", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    "sends at least 80%% of 200 runs to the arm kept 70%% of the time over one kept 40%% (seed %i)",
    (seed) => {
      const picks = simulate(
        new Map([
          [B, 0.4],
          [A, 0.7],
        ]),
        200,
        seed,
      );
      expect(picks.get(A)! / 200).toBeGreaterThanOrEqual(0.8);
    },
  );

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("starves neither of two equal arms (seed %i)", (seed) => {
    const picks = simulate(
      new Map([
        [A, 0.6],
        [B, 0.6],
      ]),
      200,
      seed,
    );
    expect(Math.min(picks.get(A)!, picks.get(B)!)).toBeGreaterThanOrEqual(20);
  });

  it("uses the operator's routing, the first arm, before any feedback", () => {
    const choice = chooseArm({ arms: [A, B], records: [], random: seeded(7) });
    expect(choice).toEqual({ arm: A, reason: "no feedback yet: the operator's routing" });
  });

  it("keeps giving an arm the evidence is against its floor's share of runs", () => {
    const records = [
      { arm: A, kept: 170, rejected: 0 },
      { arm: B, kept: 0, rejected: 19 },
    ];
    // 19 of 189 rated runs is just over a tenth: the sampling decides, and picks A.
    expect(chooseArm({ arms: [A, B], records, random: seeded(11) }).arm).toEqual(A);
    records[0]!.kept = 200;
    // 19 of 219 is under a tenth: B gets the next run.
    expect(chooseArm({ arms: [A, B], records, random: seeded(11) })).toEqual({
      arm: B,
      reason: "exploration floor: 19 of 219 rated runs went to this arm",
    });
  });

  it("says why it chose an arm from the evidence", () => {
    const choice = chooseArm({
      arms: [B, A],
      records: [
        { arm: A, kept: 30, rejected: 2 },
        { arm: B, kept: 1, rejected: 30 },
      ],
      random: seeded(3),
      explore: 0,
    });
    expect(choice).toEqual({
      arm: A,
      reason: "Thompson sampling: 30 kept of 32 rated (91%) drew the highest of 2 arms",
    });
  });
});
