// What every agent step takes besides its input, and what it hands back besides its value.
import type { UsageRecord } from "../runner/types.js";

export interface AgentCallOptions {
  /** Model to prefer (from config, already checked against the operator's list). */
  model?: string;
  signal?: AbortSignal;
}

export interface AgentResult<T> {
  value: T;
  usage: UsageRecord;
}

/** The line every prompt ends its rules with, so prose comes back in the configured language. */
export function languageRule(language: string | undefined): string {
  return `Write every sentence in ${language?.trim() || "English"}; keep code, paths and identifiers as they are.`;
}
