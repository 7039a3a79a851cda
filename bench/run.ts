// `npm run bench [case…]`: runs each benchmark case, prints its table, writes bench/results/<case>.json.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./types.js";

const here = dirname(fileURLToPath(import.meta.url));

/** Every case, in the order they run; each module default-exports `() => Promise<BenchResult>`. */
const cases: Record<string, () => Promise<{ default: () => Promise<BenchResult> }>> = {
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
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
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
    const result = await runCase();
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
