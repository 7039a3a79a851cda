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

/** Each seed's share of 200 runs that went to the arm kept 70% of the time over one kept 40%. */
function sharesToBetterArm(seeds: readonly number[]): number[] {
  return seeds.map((seed) => {
    const picks = simulate(
      new Map([
        [B, 0.4],
        [A, 0.7],
      ]),
      200,
      seed,
    );
    return picks.get(A)! / 200;
  });
}

const SEEDS = Array.from({ length: 500 }, (_, index) => index + 1);
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[values.length >> 1]!;

describe("chooseArm", () => {
  // No learner can tell a 70% arm from a 40% one before it has tried both, and now and then the
  // first verdicts mislead it (about 1.4% of seeds over 3,000), so the figure is checked
  // over many repositories rather than a few lucky ones. Before the log floor and the narrower
  // draw: 4.4% of these seeds below 80%, median 90%.
  it("sends at least 80%% of 200 runs to the arm kept 70%% over one kept 40%% in 97%% of 500 simulated repositories", () => {
    const shares = sharesToBetterArm(SEEDS);
    const below = shares.filter((share) => share < 0.8);
    expect(below.length / SEEDS.length).toBeLessThanOrEqual(0.03);
    expect(median(shares)).toBeGreaterThanOrEqual(0.91);
  });

  it("starves neither of two equal arms in any of 500 simulated repositories", () => {
    const smaller = SEEDS.map((seed) => {
      const picks = simulate(
        new Map([
          [A, 0.6],
          [B, 0.6],
        ]),
        200,
        seed,
      );
      return Math.min(picks.get(A)!, picks.get(B)!);
    });
    // The floor: 3 × ln(201) ≈ 16 of 200 runs at least, whatever the draws.
    expect(Math.min(...smaller)).toBeGreaterThanOrEqual(16);
    expect(median(smaller)).toBeGreaterThanOrEqual(30);
  });

  it("uses the operator's routing, the first arm, before any feedback", () => {
    const choice = chooseArm({ arms: [A, B], records: [], random: seeded(7) });
    expect(choice).toEqual({ arm: A, reason: "no feedback yet: the operator's routing" });
  });

  it("keeps giving an arm the evidence is against its floor's share of runs", () => {
    const records = [
      { arm: A, kept: 170, rejected: 0 },
      { arm: B, kept: 0, rejected: 16 },
    ];
    // 16 of 186 rated runs is at the floor (3 × ln 187 ≈ 15.7): the sampling decides, and picks A.
    expect(chooseArm({ arms: [A, B], records, random: seeded(11) }).arm).toEqual(A);
    records[1]!.rejected = 15;
    // 15 of 185 is under it: B gets the next run.
    expect(chooseArm({ arms: [A, B], records, random: seeded(11) })).toEqual({
      arm: B,
      reason: "exploration floor: 15 of 185 rated runs went to this arm",
    });
  });

  it("splits the first rated runs evenly, whatever they say", () => {
    const records = [
      { arm: A, kept: 0, rejected: 6 },
      { arm: B, kept: 5, rejected: 0 },
    ];
    // 3 × ln 12 ≈ 7.5: the arm with fewer runs gets the next one, though all its runs were kept.
    expect(chooseArm({ arms: [A, B], records, random: seeded(5) }).arm).toEqual(B);
    records[1]!.kept = 6;
    expect(chooseArm({ arms: [A, B], records, random: seeded(5) }).arm).toEqual(A);
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
