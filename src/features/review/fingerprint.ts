// A finding's identity across pushes: where it is (file), what it cites (text), what kind it is.
import { createHash } from "node:crypto";
import type { Finding } from "../../agents/editor/review.js";
import { normalisedText, snippetForms } from "./line-text.js";

/** Hex characters kept: 48 bits, far beyond the findings one pull request collects. */
const FINGERPRINT_CHARS = 12;

/**
 * Hash of (path, normalised snippet, rule). No line number: a push that shifts the code keeps
 * the fingerprint, so the same finding is recognised and not posted again.
 */
export function findingFingerprint(finding: Pick<Finding, "path" | "snippet" | "rule">): string {
  const snippet = snippetForms(finding.snippet).at(-1) ?? normalisedText(finding.snippet);
  return createHash("sha256")
    .update(`${finding.path}\u0000${snippet}\u0000${finding.rule}`)
    .digest("hex")
    .slice(0, FINGERPRINT_CHARS);
}
