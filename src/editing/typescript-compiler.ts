// The TypeScript compiler, loaded on first use. It is 3.4 MB of the Action's bundle: imported
// lazily, esbuild splits it into its own chunk, so the Action's cold start does not parse it and
// only a run that verifies an edit or measures complexity pays for it.
import type TypeScript from "typescript";

let loading: Promise<typeof TypeScript> | undefined;

/** The `typescript` module, imported once; every caller shares the same promise. */
export function loadTypeScript(): Promise<typeof TypeScript> {
  // A CommonJS package: Node hands it over as `default`, a bundle may hand over the namespace.
  loading ??= import("typescript").then(
    (module) => (module as { default?: typeof TypeScript }).default ?? module,
  );
  return loading;
}
