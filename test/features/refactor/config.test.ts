import { describe, expect, it } from "vitest";
import {
  isRefactorRunDue,
  refactorConfigSchema,
  refactorInterval,
} from "../../../src/features/refactor/config.js";

describe("the refactor section of the config", () => {
  it("defaults to a 90-day window, the top 5, tests left out and the timer off", () => {
    expect(refactorConfigSchema.parse({})).toEqual({
      every: "off",
      window_days: 90,
      top: 5,
      include_tests: false,
      max_commits: 300,
      max_files: 500,
      ignore: [],
    });
  });

  it("explains a malformed interval", () => {
    const result = refactorConfigSchema.safeParse({ every: "weekly" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'refactor.every is "off" or a number with h, d or w, e.g. "7d"',
    );
  });

  it("refuses keys it does not know, so a typo does not pass silently", () => {
    expect(refactorConfigSchema.safeParse({ windows_days: 30 }).success).toBe(false);
  });
});

describe("the App's refactor timer", () => {
  const now = new Date("2026-03-10T00:00:00Z");

  it("reads every as hours, days or weeks", () => {
    expect([refactorInterval("12h"), refactorInterval("7d"), refactorInterval("2w")]).toEqual([
      43_200_000, 604_800_000, 1_209_600_000,
    ]);
    expect(refactorInterval("off")).toBeUndefined();
  });

  it("is due when the last run is older than the interval", () => {
    expect(isRefactorRunDue("7d", "2026-03-02T00:00:00.000Z", now)).toBe(true);
  });

  it("is not due again within the interval, even after a restart", () => {
    expect(isRefactorRunDue("7d", "2026-03-05T00:00:00.000Z", now)).toBe(false);
  });

  it("is due when it never ran, and never when off", () => {
    expect([
      isRefactorRunDue("7d", undefined, now),
      isRefactorRunDue("off", undefined, now),
    ]).toEqual([true, false]);
  });
});
