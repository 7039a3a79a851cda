// Every reader of text Symphony does not control, timed on inputs shaped against backtracking at
// GitHub's largest sizes: the median per shape of all readers together, and the slowest reader.
import { availableParallelism, loadavg } from "node:os";
import { allowLinksFrom, runWithLinkScope } from "../src/comments/link-scope.js";
import {
  COMMENT_CHARS,
  commentReaders,
  FILE_CHARS,
  fileReaders,
  GIVEN_LINK,
  pathologicalShapes,
  type Reader,
} from "../test/comments/pathological-shapes.js";
import type { BenchResult } from "./types.js";

const RUNS = Number(process.env.SYMPHONY_BENCH_RUNS ?? 7);
/** The goals: a shape costs well under 100 ms even on a loaded machine. */
const COMMENT_GOAL_MS = 20;
const FILE_GOAL_MS = 100;

interface Timing {
  /** Median over the runs of all readers together: wall-clock time. */
  total: number;
  /**
   * The same in CPU time of this process, which a machine shared with other work inflates far
   * less than wall-clock time: the nearest figure to an idle core that a busy machine gives.
   */
  cpu: number;
  slowest: { name: string; ms: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(readers: readonly Reader[], text: string): Timing {
  const perReader = new Map<string, number[]>(readers.map((reader) => [reader.name, []]));
  const totals: number[] = [];
  const cpus: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let total = 0;
    const cpuStart = process.cpuUsage();
    for (const reader of readers) {
      const start = performance.now();
      reader.read(text);
      const ms = performance.now() - start;
      total += ms;
      perReader.get(reader.name)!.push(ms);
    }
    const cpu = process.cpuUsage(cpuStart);
    cpus.push((cpu.user + cpu.system) / 1000);
    totals.push(total);
  }
  const medians = [...perReader].map(([name, samples]) => ({ name, ms: median(samples) }));
  const slowest = medians.reduce((worst, next) => (next.ms > worst.ms ? next : worst));
  return { total: median(totals), cpu: median(cpus), slowest };
}

const ms = (value: number): number => Math.round(value * 100) / 100;

export default async function run(): Promise<BenchResult> {
  return runWithLinkScope(async () => {
    allowLinksFrom(`${GIVEN_LINK} given`);
    const comments = pathologicalShapes(COMMENT_CHARS);
    const files = pathologicalShapes(FILE_CHARS);
    // One pass first, so the compiler's first look at each reader is not in the figures.
    for (const text of Object.values(comments))
      for (const reader of commentReaders) reader.read(text);
    const rows = Object.keys(comments).map((shape) => {
      const comment = time(commentReaders, comments[shape]!);
      const file = time(fileReaders, files[shape]!);
      return {
        shape,
        "65,536 chars, ms": ms(comment.total),
        "65,536 chars, CPU ms": ms(comment.cpu),
        "slowest reader (comment)": `${comment.slowest.name} ${ms(comment.slowest.ms)}`,
        "1 MB, ms": ms(file.total),
        "1 MB, CPU ms": ms(file.cpu),
        "slowest reader (file)": `${file.slowest.name} ${ms(file.slowest.ms)}`,
      };
    });
    const worstComment = Math.max(...rows.map((row) => row["65,536 chars, CPU ms"]));
    const worstFile = Math.max(...rows.map((row) => row["1 MB, CPU ms"]));
    return {
      title: `readers of untrusted text on ${rows.length} shapes (median of ${RUNS} runs, all readers of a size together)`,
      rows,
      notes: [
        `${commentReaders.length} comment readers, ${fileReaders.length} file readers`,
        `load average when done: ${loadavg()
          .map((load) => load.toFixed(2))
          .join(", ")} on ${availableParallelism()} cores`,
        `slowest shape at 65,536 characters: ${ms(worstComment)} CPU ms (goal < ${COMMENT_GOAL_MS} ms) ${worstComment < COMMENT_GOAL_MS ? "✓" : "✗"}`,
        `slowest shape at 1 MB: ${ms(worstFile)} CPU ms (goal < ${FILE_GOAL_MS} ms) ${worstFile < FILE_GOAL_MS ? "✓" : "✗"}`,
      ],
      details: { runs: RUNS, commentChars: COMMENT_CHARS, fileChars: FILE_CHARS },
    };
  });
}
