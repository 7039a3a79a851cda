// `npm run bench [case…] [--name=value…]`: runs each benchmark case, prints its table, writes
// bench/results/<case>.json. Options go to every case named (e.g. `cluster --deliveries=300`).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchOptions, BenchResult } from "./types.js";

const here = dirname(fileURLToPath(import.meta.url));

/** Every case, in the order they run; each module default-exports `() => Promise<BenchResult>`. */
const cases: Record<
  string,
  () => Promise<{ default: (options?: BenchOptions) => Promise<BenchResult> }>
> = {
  runtime: () => import("./runtime.js"),
  edits: () => import("./edits.js"),
  review: () => import("./review.js"),
  refactor: () => import("./refactor.js"),
  action: () => import("./action.js"),
  plan: () => import("./plan.js"),
  load: () => import("./load.js"),
  engine: () => import("./engine.js"),
  prompts: () => import("./prompts.js"),
  cluster: () => import("./cluster.js"),
  hosts: () => import("./hosts.js"),
  "untrusted-text": () => import("./untrusted-text.js"),
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const wanted = args.filter((arg) => !arg.startsWith("--"));
  const options: BenchOptions = Object.fromEntries(
    args
      .filter((arg) => arg.startsWith("--"))
      .map((arg) => {
        const [name = "", value = "true"] = arg.slice(2).split("=");
        return [name, value];
      }),
  );
  const unknown = wanted.filter((name) => !(name in cases));
  if (unknown.length > 0) {
    console.error(
      `unknown bench case(s): ${unknown.join(", ")}; known: ${Object.keys(cases).join(", ")}`,
    );
    process.exitCode = 2;
    return;
  }
  const names = wanted.length > 0 ? wanted : Object.keys(cases);
  await mkdir(join(here, "results"), { recursive: true });
  for (const name of names) {
    const load = cases[name]!;
    const { default: runCase } = await load();
    const result = await runCase(options);
    console.log(`\n## ${name}: ${result.title}`);
    console.table(result.rows);
    for (const line of result.notes ?? []) console.log(line);
    const file = join(here, "results", `${name}.json`);
    await writeFile(
      file,
      JSON.stringify(
        { case: name, at: new Date().toISOString(), node: process.version, ...result },
        null,
        2,
      ),
    );
    console.log(`→ ${file}`);
  }
}

await main();
