// What the Editor's edit step takes in and the two reply formats a model may send back.
import { z } from "zod";
import { searchReplaceBlockSchema } from "../../editing/search-replace-block.js";
import { TaskSchema } from "../coordinator/schema.js";

/** Longest path a reply may name; real repository paths are far shorter. */
const MAX_PATH_CHARS = 400;

/** The two ways a model may hand back an edit; chosen by file size, never by the model. */
export const EDIT_FORMATS = ["whole_file", "search_replace"] as const;
export const editFormatSchema = z.enum(EDIT_FORMATS);
export type EditFormat = z.infer<typeof editFormatSchema>;

/** The part of a Coordinator task the Editor needs to write one file; a whole `Task` fits. */
export const editTaskSchema = TaskSchema.pick({
  task_id: true,
  title: true,
  description: true,
  success_criteria: true,
});
export type EditTask = z.input<typeof editTaskSchema>;

export const editFileInputSchema = z.object({
  task: editTaskSchema,
  design: z.string().describe("The plan's design, rendered as text."),
  pseudocode: z.string().describe("The Code-Visualizer's pseudocode for this task."),
  path: z.string().min(1).max(MAX_PATH_CHARS),
  currentContent: z
    .string()
    .optional()
    .describe("The file at the branch head; absent when the task creates it."),
  format: editFormatSchema,
  repositoryMap: z
    .string()
    .optional()
    .describe("Signatures of the files the task names or this file imports (src/context)."),
  earlierEdits: z
    .array(z.object({ path: z.string(), diff: z.string() }))
    .optional()
    .describe("Files this task already changed, with their diffs, in the order they were edited."),
});
export type EditFileInput = z.input<typeof editFileInputSchema>;

export const wholeFileReplySchema = z.object({
  path: z.string().min(1).max(MAX_PATH_CHARS).describe("The file's path, exactly as given."),
  content: z.string().describe("The complete new content of the file, every line of it."),
});
export type WholeFileReply = z.infer<typeof wholeFileReplySchema>;

export const searchReplaceReplySchema = z.object({
  path: z.string().min(1).max(MAX_PATH_CHARS).describe("The file's path, exactly as given."),
  blocks: z.array(searchReplaceBlockSchema).min(1).max(40),
});
export type SearchReplaceReply = z.infer<typeof searchReplaceReplySchema>;

/** A reply in either format, tagged by the format that was asked for. */
export type EditReply =
  | { format: "whole_file"; reply: WholeFileReply }
  | { format: "search_replace"; reply: SearchReplaceReply };
