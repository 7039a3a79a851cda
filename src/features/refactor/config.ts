// The `refactor:` section of `.github/symphony.yml`, and when the App's timer should run it.
import { z } from "zod";

const EVERY = /^(?:off|[1-9]\d{0,3}[hdw])$/;

export const refactorConfigSchema = z
  .object({
    every: z
      .string()
      .regex(EVERY, 'refactor.every is "off" or a number with h, d or w, e.g. "7d"')
      .default("off")
      .describe("App mode: how often to refresh the suggestions (e.g. 7d); off by default"),
    window_days: z
      .int()
      .min(1)
      .max(365)
      .default(90)
      .describe("Days of history whose commits count as changes"),
    top: z.int().min(1).max(20).default(5).describe("Hotspots handed to the Planner"),
    include_tests: z.boolean().default(false).describe("Rank test files too"),
    max_commits: z
      .int()
      .min(1)
      .max(5000)
      .default(300)
      .describe("Newest commits of the window whose files are read (one request each)"),
    max_files: z
      .int()
      .min(1)
      .max(20000)
      .default(500)
      .describe("Most-changed files read and measured"),
    ignore: z
      .array(z.string().min(1))
      .max(200)
      .default([])
      .describe("Globs (picomatch) never ranked, on top of the config's own ignore globs"),
  })
  .strict();

export type RefactorConfig = z.infer<typeof refactorConfigSchema>;

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** The words `.github/symphony.yml` accepts (src/config/schema.ts); a month counts 30 days. */
const NAMED_MS: Record<string, number> = {
  day: UNIT_MS.d,
  week: UNIT_MS.w,
  month: 30 * UNIT_MS.d,
};

/** `refactor.every` ("day", "week", "month" or "7d") in milliseconds; undefined when off. */
export function refactorInterval(every: string): number | undefined {
  const named = NAMED_MS[every];
  if (named !== undefined) return named;
  const match = /^(\d+)([hdw])$/.exec(every);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/**
 * Whether the App's timer should run now. The last run's date comes from the rolling issue, so a
 * restart neither loses the schedule nor runs twice; no last run means never ran: due.
 */
export function isRefactorRunDue(every: string, lastRun: string | undefined, now: Date): boolean {
  const interval = refactorInterval(every);
  if (interval === undefined) return false;
  if (lastRun === undefined) return true;
  const last = Date.parse(lastRun);
  return Number.isNaN(last) || now.getTime() - last >= interval;
}
