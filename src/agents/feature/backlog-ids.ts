// What code fills in the Feature agent's backlog, so the model never writes it: the EPIC's id and
// status, feature ids F1, F2, … and subtask ids F1.1, F1.2, …, as the plan comment shows them.
import type { DeeperReply, Epic, EpicReply, Feature } from "./schema.js";

/** The backlog as stored: the reply with ids and the status every new EPIC starts in. */
export function backlogFromReply(reply: EpicReply, issueNumber: number): Epic {
  return {
    epic: { ...reply.epic, id: `EPIC-${issueNumber}`, status: "proposed" },
    features: reply.features.map((feature, i) => ({ ...feature, id: `F${i + 1}` })),
  };
}

/**
 * The backlog kept as it was, each feature given the subtasks the reply wrote for it: matched
 * by title, else by position, so a model that skips or reorders a feature moves no subtasks
 * onto the wrong one. Features the reply says nothing about keep their earlier subtasks.
 */
export function withSubtasks(backlog: Epic, reply: DeeperReply): Epic {
  const unused = new Set(reply.features.map((_, i) => i));
  const byTitle = new Map<string, number>();
  reply.features.forEach((entry, i) => {
    const key = titleKey(entry.title);
    if (!byTitle.has(key)) byTitle.set(key, i);
  });
  const matched = backlog.features.map((feature) => {
    const at = byTitle.get(titleKey(feature.title));
    if (at === undefined || !unused.has(at)) return undefined;
    unused.delete(at);
    return at;
  });
  const features = backlog.features.map((feature, i): Feature => {
    const at = matched[i] ?? (unused.has(i) && matched[i] === undefined ? i : undefined);
    if (at === undefined) return feature;
    unused.delete(at);
    const subtasks = reply.features[at]!.subtasks.map((subtask, j) => ({
      ...subtask,
      id: `${feature.id}.${j + 1}`,
    }));
    return { ...feature, subtasks };
  });
  return { ...backlog, features };
}

function titleKey(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
