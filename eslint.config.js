import js from "@eslint/js";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import tseslint from "typescript-eslint";

// The arrows between folders (docs/development.md draws them): each folder lists the folders it
// must not import. Entry points (index.ts, server.ts, create-app.ts, action/, cli/) import anything.
const LIBRARIES = ["config", "context", "editing", "lib"];
const forbidden = {
  features: ["action", "cli"],
  app: ["features", "action", "cli"],
  agents: ["features", "app", "github", "action", "cli"],
  runner: ["features", "app", "agents", "github", "comments", "action", "cli"],
  github: ["features", "app", "agents", "runner", "action", "cli"],
  comments: ["features", "app", "agents", "runner", "github", "action", "cli"],
  config: ["features", "app", "agents", "runner", "github", "comments", "action", "cli"],
  context: ["features", "app", "agents", "runner", "github", "action", "cli"],
  editing: ["features", "app", "agents", "runner", "github", "action", "cli"],
  lib: ["features", "app", "agents", "runner", "github", "comments", "action", "cli", ...LIBRARIES],
};

function layerRule([folder, banned]) {
  // A folder's own files and subfolders are not a layer crossing.
  const patterns = banned
    .filter((name) => name !== folder)
    .map((name) => ({
      group: [`**/${name}/**`],
      message: `src/${folder}/ must not import src/${name}/ (the allowed arrows are in docs/development.md).`,
    }));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: { "no-restricted-imports": ["error", { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ["lib/", "dist/", "node_modules/", "bench/results/", "eval/results/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "eval/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  ...Object.entries(forbidden).map(layerRule),
  {
    // A runtime import cycle is a bug (type-only imports vanish at run time and do not count).
    files: ["src/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver()],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/extensions": [".ts", ".js"],
    },
    rules: {
      "import-x/no-cycle": [
        "error",
        { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false },
      ],
    },
  },
);
