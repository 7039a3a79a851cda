// One search/replace block as the Editor's reply carries it and apply.ts applies it.
import { z } from "zod";

export const searchReplaceBlockSchema = z.object({
  search: z
    .string()
    .describe("Lines copied exactly from the current file, enough of them to occur only once."),
  replace: z.string().describe("What those lines become; empty to delete them."),
});
export type SearchReplaceBlock = z.infer<typeof searchReplaceBlockSchema>;
