// The hidden marker at the top of every inline finding comment: `<!-- symphony:finding:<fp> -->`.
import { parseMarkers, renderMarker } from "./markers.js";

/** A finding's fingerprint: 12 hex characters (features/review/fingerprint.ts makes them). */
export const FINGERPRINT_PATTERN = /^[0-9a-f]{12}$/;

/** `<!-- symphony:finding:<fingerprint> -->`, at the top of every inline comment. */
export function findingMarker(fingerprint: string): string {
  return renderMarker({ kind: "finding", key: fingerprint });
}

/** The fingerprint of the finding an inline comment carries, e.g. to record that it was dismissed. */
export function parseFindingFingerprint(body: string | null | undefined): string | undefined {
  const marker = parseMarkers(body ?? "").find((candidate) => candidate.kind === "finding");
  return marker && FINGERPRINT_PATTERN.test(marker.key) ? marker.key : undefined;
}
