// The gate every `issues.labeled` feature shares: a person (never a bot) added the label this
// feature answers to, the issue is not skipped, and the sender holds the configured role.
import type { Context, Logger } from "probot";
import type { AppServices } from "./services.js";
import { InvalidConfigError } from "../config/errors.js";
import { loadRepoConfigOrProblem } from "../config/load.js";
import type { RepoConfig } from "../config/schema.js";
import { hasPermission } from "../github/permission.js";
import { reportInvalidConfig } from "./config-error.js";

type LabeledContext = Context<"issues.labeled">;

export interface LabelGate {
  /** The child logger's name, e.g. "symphony:plan". */
  feature: string;
  /** The label this feature answers to, from the repository's settings. */
  label(config: RepoConfig): string;
  /**
   * The label that, on a broken settings file, still earns the one reply naming the bad key:
   * the file cannot say which label was meant, so only a feature's default label does.
   */
  reportsInvalidConfigFor?: string;
}

export interface AdmittedLabel {
  config: RepoConfig;
  log: Logger;
}

/** The settings and a logger when the label sets this feature to work, else undefined. */
export async function admitLabel(
  context: LabeledContext,
  services: AppServices,
  gate: LabelGate,
): Promise<AdmittedLabel | undefined> {
  const { issue, label, sender } = context.payload;
  // Bots never trigger anything: a bot adding the label would otherwise start paid model work.
  if (context.isBot || sender.type === "Bot" || label === undefined) return undefined;
  // A redelivered webhook whose run was queued already: not even the settings are read again.
  if (services.queue.hasSeen(context.id)) return undefined;
  const config = await readConfig(context, services, gate);
  if (config === undefined || label.name !== gate.label(config)) return undefined;
  const log = context.log.child({ name: gate.feature, issue: issue.number });
  if (carriesLabel(issue.labels, config.skip_label)) {
    log.info({ skip_label: config.skip_label }, "ignored: the issue carries the skip label");
    return undefined;
  }
  if (!(await hasPermission(context, config.permission))) {
    log.info(
      { sender: sender.login, required: config.permission },
      "ignored: sender lacks permission",
    );
    return undefined;
  }
  return { config, log };
}

/** One read of the settings per delivery in flight, shared by every label feature that hears it. */
function settingsOf(
  context: LabeledContext,
  services: AppServices,
): Promise<RepoConfig | InvalidConfigError> {
  const reads = services.memory.settingsReads;
  let read = reads.get(context.id);
  if (read === undefined) {
    read = loadRepoConfigOrProblem(context);
    reads.set(context.id, read);
    const forget = (): void => {
      reads.delete(context.id);
    };
    read.then(forget, forget);
  }
  return read;
}

async function readConfig(
  context: LabeledContext,
  services: AppServices,
  gate: LabelGate,
): Promise<RepoConfig | undefined> {
  const config = await settingsOf(context, services);
  if (!(config instanceof InvalidConfigError)) return config;
  const reports = gate.reportsInvalidConfigFor;
  if (reports !== undefined && context.payload.label?.name === reports) {
    if (await hasPermission(context, "write")) {
      await reportInvalidConfig(context, config, await services.botLogin());
    }
  }
  return undefined;
}

export function carriesLabel(
  labels: readonly ({ name: string } | string)[] | undefined,
  name: string,
): boolean {
  return (labels ?? []).some((label) => (typeof label === "string" ? label : label.name) === name);
}
