import { describe, expect, it } from "vitest";
import { buildFileKind } from "../../src/editing/build-files.js";

describe("build files", () => {
  it("names manifests, lock files, build and shell scripts, container builds, in any folder", () => {
    const paths = [
      "package.json",
      "web/package-lock.json",
      "Makefile",
      "docker/Dockerfile.dev",
      "scripts/release.sh",
      "setup.py",
      "pyproject.toml",
      "requirements-dev.txt",
      "build.gradle.kts",
      "pom.xml",
      "Cargo.toml",
      "crates/core/build.rs",
      "go.sum",
      "vite.config.ts",
      "App/App.csproj",
    ];
    expect(paths.filter((path) => buildFileKind(path) === undefined)).toEqual([]);
  });

  it("leaves ordinary source, docs and data alone", () => {
    const paths = ["src/index.ts", "README.md", "docs/build.md", "src/package.ts", "data.json"];
    expect(paths.map(buildFileKind)).toEqual(paths.map(() => undefined));
  });
});
