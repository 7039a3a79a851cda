// What a benchmark case returns to bench/run.ts.
export interface BenchResult {
  title: string;
  /** One row per measured variant; printed with console.table. */
  rows: Record<string, string | number>[];
  /** Lines printed under the table (goals met or missed, context). */
  notes?: string[];
  /** Anything else worth keeping in the JSON file (raw samples, settings). */
  details?: unknown;
}

/** `--name=value` arguments of `bench/run.ts`, for the cases that take any (cluster). */
export type BenchOptions = Partial<Record<string, string>>;
