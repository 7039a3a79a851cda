// `npx tsx scripts/generate-config-schema.ts`: writes docs/schema.json from the zod config schema.
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as prettier from "prettier";
import { configJsonSchema } from "../src/config/json-schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SCHEMA_FILE = join(root, "docs", "schema.json");

/** The file's exact text, formatted as `prettier --check` expects it. */
export async function renderSchemaFile(): Promise<string> {
  const options = (await prettier.resolveConfig(SCHEMA_FILE)) ?? {};
  return prettier.format(JSON.stringify(configJsonSchema()), { ...options, parser: "json" });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(SCHEMA_FILE, await renderSchemaFile());
  console.log(`wrote ${SCHEMA_FILE}`);
}
