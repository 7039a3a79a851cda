// The JSON Schema published as docs/schema.json, generated from the zod schema.
import { z } from "zod";
import { repoConfigSchema } from "./schema.js";

/** The schema of what a repository may write (every key optional), as a JSON value. */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(repoConfigSchema, { io: "input" });
  return { ...generated, title: "Symphony repository settings (.github/symphony.yml)" };
}
