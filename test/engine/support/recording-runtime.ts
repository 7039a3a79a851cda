// A runtime wrapper for the engine tests: every call's agent, kind (text or structured) and outcome, so a
// test can say which schemas reached the engine and that none was refused, while the feature code
// above it sees the real runtime's results and errors unchanged.
import type { z } from "zod";
import type {
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateTextRequest,
  GenerateTextResult,
  ModelRuntime,
} from "../../../src/runner/types.js";

export interface RecordedCall {
  agent: string;
  promptVersion: string;
  /** Plain text (no schema, no grammar) or structured output under the schema's grammar. */
  kind: "text" | "object";
  /** What the runtime threw, if it did; the feature decides what the user sees. */
  error?: unknown;
}

export class CallRecordingRuntime implements ModelRuntime {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly inner: ModelRuntime) {}

  async generateText(request: GenerateTextRequest): Promise<GenerateTextResult> {
    return this.record(request, "text", () => this.inner.generateText(request));
  }

  async generateObject<S extends z.ZodType>(
    request: GenerateObjectRequest<S>,
  ): Promise<GenerateObjectResult<z.infer<S>>> {
    return this.record(request, "object", () => this.inner.generateObject(request));
  }

  promptBudget(model?: string, maxOutputTokens?: number): Promise<number> {
    return this.inner.promptBudget(model, maxOutputTokens);
  }

  estimateTokens(text: string): number {
    return this.inner.estimateTokens(text);
  }

  private async record<T>(
    request: { agent: string; promptVersion: string },
    kind: RecordedCall["kind"],
    call: () => Promise<T>,
  ): Promise<T> {
    const entry: RecordedCall = {
      agent: request.agent,
      promptVersion: request.promptVersion,
      kind,
    };
    this.calls.push(entry);
    try {
      return await call();
    } catch (error) {
      entry.error = error;
      throw error;
    }
  }
}
