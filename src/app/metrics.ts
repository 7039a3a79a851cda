// What /metrics serves: one prom-client registry per app, so two apps in one process (tests, a
// server with two Probot apps) never share or double-register a metric.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { isAgentName, type AgentName } from "../config/agent-names.js";
import type { HostCallReport, HostStatus } from "../runner/host-pool.js";
import type { UsageRecord } from "../runner/types.js";

/** What a webhook listener came to: `ok`, `failed` (it threw), `refused` (answered 503). */
export type EventOutcome = "ok" | "failed" | "refused";

/** How a queued run ended: `aborted` when shutdown's grace period ran out. */
export type RunOutcome = "completed" | "failed" | "aborted";

/** The queue as the depth gauges read it, at scrape time. */
export interface QueueDepth {
  readonly size: number;
  readonly running: number;
}

export interface SymphonyMetricsOptions {
  /** Node's process metrics (memory, CPU, event-loop lag) too; the production server wants them. */
  processMetrics?: boolean;
}

/** The `agent` label: a name from the agent registry, so no caller can grow the label set. */
function agentLabel(agent: string): AgentName | "other" {
  return isAgentName(agent) ? agent : "other";
}

const MODEL_SECONDS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];
const RUN_SECONDS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800];

export class SymphonyMetrics {
  readonly registry = new Registry();
  readonly #eventsReceived: Counter<"event">;
  readonly #eventsHandled: Counter<"event" | "outcome">;
  readonly #modelCalls: Counter<"agent" | "model" | "outcome">;
  readonly #modelSeconds: Histogram<"agent" | "model">;
  readonly #promptTokens: Counter<"agent" | "model">;
  readonly #outputTokens: Counter<"agent" | "model">;
  readonly #fallbacks: Counter<"agent" | "model">;
  readonly #githubErrors: Counter<"status">;
  readonly #rateLimitRemaining: Gauge<"installation">;
  readonly #usageRefusals: Counter<"cap">;
  readonly #usageCaps: Gauge<"cap">;
  readonly #runs: Counter<"outcome">;
  readonly #runSeconds: Histogram<"outcome">;
  readonly #deliveriesRefused: Counter<"event">;
  readonly #hostCalls: Counter<"host" | "outcome">;
  readonly #hostSeconds: Histogram<"host">;
  #queue: QueueDepth | undefined;
  #hosts: () => readonly HostStatus[] = () => [];

  constructor(options: SymphonyMetricsOptions = {}) {
    const registers = [this.registry];
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry });
    this.#eventsReceived = new Counter({
      name: "symphony_webhook_events_received_total",
      help: "Webhook deliveries received, by event (name.action).",
      labelNames: ["event"],
      registers,
    });
    this.#eventsHandled = new Counter({
      name: "symphony_webhook_events_handled_total",
      help: "Webhook listeners finished, by event and outcome (ok, failed, refused).",
      labelNames: ["event", "outcome"],
      registers,
    });
    this.#deliveriesRefused = new Counter({
      name: "symphony_webhook_deliveries_refused_total",
      help: "Deliveries answered 503 because the work queue was full or closing.",
      labelNames: ["event"],
      registers,
    });
    this.#modelCalls = new Counter({
      name: "symphony_model_calls_total",
      help: "Model calls, by agent (a name from the agent registry), model and outcome (ok or the error's name).",
      labelNames: ["agent", "model", "outcome"],
      registers,
    });
    this.#modelSeconds = new Histogram({
      name: "symphony_model_call_duration_seconds",
      help: "Wall time of successful model calls, retries and repairs included.",
      labelNames: ["agent", "model"],
      buckets: MODEL_SECONDS,
      registers,
    });
    this.#promptTokens = new Counter({
      name: "symphony_model_prompt_tokens_total",
      help: "Prompt tokens the model host counted, by agent and model.",
      labelNames: ["agent", "model"],
      registers,
    });
    this.#outputTokens = new Counter({
      name: "symphony_model_output_tokens_total",
      help: "Output tokens the model host counted, by agent and model.",
      labelNames: ["agent", "model"],
      registers,
    });
    this.#fallbacks = new Counter({
      name: "symphony_model_fallbacks_total",
      help: "Model calls answered by a fallback link, by agent and the model that answered.",
      labelNames: ["agent", "model"],
      registers,
    });
    this.#githubErrors = new Counter({
      name: "symphony_github_api_errors_total",
      help: "GitHub API requests that failed after Octokit's retries, by HTTP status.",
      labelNames: ["status"],
      registers,
    });
    this.#rateLimitRemaining = new Gauge({
      name: "symphony_github_rate_limit_remaining",
      help: "x-ratelimit-remaining of the newest GitHub response, per installation.",
      labelNames: ["installation"],
      registers,
    });
    this.#usageRefusals = new Counter({
      name: "symphony_usage_refusals_total",
      help: "Triggers refused by an operator cap, by cap.",
      labelNames: ["cap"],
      registers,
    });
    this.#usageCaps = new Gauge({
      name: "symphony_usage_cap",
      help: "Operator caps in force (runs per hour, tokens per day), by cap.",
      labelNames: ["cap"],
      registers,
    });
    this.#runs = new Counter({
      name: "symphony_runs_total",
      help: "Queued runs finished, by outcome.",
      labelNames: ["outcome"],
      registers,
    });
    this.#runSeconds = new Histogram({
      name: "symphony_run_duration_seconds",
      help: "Wall time of queued runs, by outcome.",
      labelNames: ["outcome"],
      buckets: RUN_SECONDS,
      registers,
    });
    this.#hostCalls = new Counter({
      name: "symphony_model_host_requests_total",
      help: "Requests to each model host of SYMPHONY_MODEL_HOSTS, by outcome (ok, failed).",
      labelNames: ["host", "outcome"],
      registers,
    });
    this.#hostSeconds = new Histogram({
      name: "symphony_model_host_request_duration_seconds",
      help: "Wall time of answered requests, per model host.",
      labelNames: ["host"],
      buckets: MODEL_SECONDS,
      registers,
    });
    const inFlight: Gauge<"host"> = new Gauge({
      name: "symphony_model_host_in_flight",
      help: "Requests each model host is answering now.",
      labelNames: ["host"],
      registers,
      collect: () => {
        for (const host of this.#hosts()) inFlight.set({ host: host.host }, host.inFlight);
      },
    });
    const up: Gauge<"host"> = new Gauge({
      name: "symphony_model_host_up",
      help: "1 while a model host answers, 0 while it is marked down.",
      labelNames: ["host"],
      registers,
      collect: () => {
        for (const host of this.#hosts()) up.set({ host: host.host }, host.up ? 1 : 0);
      },
    });
    const waiting: Gauge = new Gauge({
      name: "symphony_queue_waiting",
      help: "Jobs waiting in the work queue.",
      registers,
      collect: () => {
        if (this.#queue !== undefined) waiting.set(this.#queue.size);
      },
    });
    const running: Gauge = new Gauge({
      name: "symphony_queue_running",
      help: "Jobs running now.",
      registers,
      collect: () => {
        if (this.#queue !== undefined) running.set(this.#queue.running);
      },
    });
  }

  /** The model hosts whose state the per-host gauges report (SYMPHONY_MODEL_HOSTS). */
  watchHosts(hosts: () => readonly HostStatus[]): void {
    this.#hosts = hosts;
  }

  /** One request to one of the model hosts, answered (`ok`) or failed. */
  hostCall(report: HostCallReport): void {
    this.#hostCalls.inc({ host: report.host, outcome: report.ok ? "ok" : "failed" });
    if (report.ok) this.#hostSeconds.observe({ host: report.host }, report.ms / 1000);
  }

  /** The queue whose depth the gauges report. */
  watchQueue(queue: QueueDepth): void {
    this.#queue = queue;
  }

  eventReceived(event: string): void {
    this.#eventsReceived.inc({ event });
  }

  eventHandled(event: string, outcome: EventOutcome): void {
    this.#eventsHandled.inc({ event, outcome });
    if (outcome === "refused") this.#deliveriesRefused.inc({ event });
  }

  modelCallSucceeded(usage: UsageRecord): void {
    const labels = { agent: agentLabel(usage.agent), model: usage.model };
    this.#modelCalls.inc({ ...labels, outcome: "ok" });
    this.#modelSeconds.observe(labels, usage.wallMs / 1000);
    this.#promptTokens.inc(labels, usage.promptTokens);
    this.#outputTokens.inc(labels, usage.outputTokens);
    if (usage.fallbackUsed) this.#fallbacks.inc(labels);
  }

  modelCallFailed(agent: string, model: string, error: unknown): void {
    const outcome = error instanceof Error ? error.name : "Error";
    this.#modelCalls.inc({ agent: agentLabel(agent), model, outcome });
  }

  githubError(status: number | undefined): void {
    this.#githubErrors.inc({ status: status === undefined ? "network" : String(status) });
  }

  githubRateLimit(installation: string, remaining: number): void {
    this.#rateLimitRemaining.set({ installation }, remaining);
  }

  usageRefused(cap: string): void {
    this.#usageRefusals.inc({ cap });
  }

  usageCap(cap: string, value: number): void {
    this.#usageCaps.set({ cap }, value);
  }

  runFinished(outcome: RunOutcome, durationMs: number): void {
    this.#runs.inc({ outcome });
    this.#runSeconds.observe({ outcome }, durationMs / 1000);
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
