// One model request's signal: the caller's cancel and the per-call time limit, as one.
import { ModelAbortedError, ModelTimeoutError } from "./errors.js";

export class CallDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private timedOut = false;
  private finished = false;
  private readonly onCallerAbort = () => this.controller.abort(this.caller?.reason);

  constructor(
    private readonly host: string,
    private readonly timeoutMs: number,
    private readonly caller: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error("time limit"));
    }, timeoutMs);
    if (caller?.aborted) this.controller.abort(caller.reason);
    else caller?.addEventListener("abort", this.onCallerAbort, { once: true });
  }

  /** Passed down to the HTTP client, so either cause stops the request on the wire. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The typed error for a failure: timeout and cancel win over whatever the client threw. */
  explain(error: unknown): unknown {
    if (this.timedOut) return new ModelTimeoutError(this.host, this.timeoutMs);
    if (this.caller?.aborted) return new ModelAbortedError("the model call was cancelled");
    return error;
  }

  succeeded(): void {
    this.finished = true;
  }

  /** Clears the timer; after a failure also aborts, so an unread response body frees its socket. */
  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener("abort", this.onCallerAbort);
    if (!this.finished) this.controller.abort(new Error("request ended"));
  }
}
