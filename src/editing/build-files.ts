// Files that say how a project is built, installed or run: a change there runs with CI's secrets
// (an install script, a build step), so a person reads it before a draft pull request is ready.

/** Exact file names (any folder), lower case, and what each one is. */
const BY_NAME = new Map<string, string>([
  ["package.json", "package manifest: its scripts run on install and in CI"],
  ["makefile", "build script"],
  ["gnumakefile", "build script"],
  ["cmakelists.txt", "build script"],
  ["meson.build", "build script"],
  ["build", "Bazel build file"],
  ["build.bazel", "Bazel build file"],
  ["workspace", "Bazel workspace"],
  ["workspace.bazel", "Bazel workspace"],
  ["module.bazel", "Bazel module"],
  ["rakefile", "build script"],
  ["justfile", "build script"],
  ["taskfile.yml", "build script"],
  ["taskfile.yaml", "build script"],
  ["dockerfile", "container build"],
  ["containerfile", "container build"],
  ["docker-compose.yml", "container set-up"],
  ["docker-compose.yaml", "container set-up"],
  ["compose.yml", "container set-up"],
  ["compose.yaml", "container set-up"],
  ["setup.py", "Python build script"],
  ["setup.cfg", "Python build settings"],
  ["pyproject.toml", "Python build settings and dependencies"],
  ["pipfile", "Python dependencies"],
  ["tox.ini", "Python test runner settings"],
  ["noxfile.py", "Python test runner script"],
  ["build.gradle", "Gradle build script"],
  ["build.gradle.kts", "Gradle build script"],
  ["settings.gradle", "Gradle build script"],
  ["settings.gradle.kts", "Gradle build script"],
  ["gradle.properties", "Gradle build settings"],
  ["gradlew", "Gradle wrapper script"],
  ["gradlew.bat", "Gradle wrapper script"],
  ["gradle-wrapper.properties", "Gradle wrapper: which Gradle is downloaded"],
  ["pom.xml", "Maven build"],
  ["mvnw", "Maven wrapper script"],
  ["cargo.toml", "Rust package manifest"],
  ["build.rs", "Rust build script: runs at compile time"],
  ["go.mod", "Go module dependencies"],
  ["gemfile", "Ruby dependencies"],
  ["composer.json", "PHP package manifest: its scripts run on install"],
  ["directory.build.props", ".NET build settings"],
  ["directory.build.targets", ".NET build targets"],
  ["nuget.config", "NuGet sources"],
  ["global.json", ".NET SDK choice"],
  [".npmrc", "npm settings: registry and install scripts"],
  [".yarnrc", "Yarn settings"],
  [".yarnrc.yml", "Yarn settings"],
  ["flake.nix", "Nix build"],
  ["default.nix", "Nix build"],
  ["shell.nix", "Nix build"],
]);

/** Lock files: they choose the exact code every install downloads and runs. */
const LOCK_FILES = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lock",
  "bun.lockb",
  "cargo.lock",
  "gemfile.lock",
  "poetry.lock",
  "pipfile.lock",
  "uv.lock",
  "pdm.lock",
  "composer.lock",
  "go.sum",
  "mix.lock",
  "pubspec.lock",
  "packages.lock.json",
  "gradle.lockfile",
  "flake.lock",
  "podfile.lock",
]);

/** By file-name ending, lower case. */
const BY_ENDING: readonly [string, string][] = [
  [".sh", "shell script"],
  [".bash", "shell script"],
  [".zsh", "shell script"],
  [".ps1", "PowerShell script"],
  [".bat", "Windows batch script"],
  [".cmd", "Windows batch script"],
  [".mk", "build script"],
  [".cmake", "build script"],
  [".bzl", "Bazel build code"],
  [".dockerfile", "container build"],
  [".gemspec", "Ruby package manifest"],
  [".csproj", ".NET project: its build targets run"],
  [".fsproj", ".NET project: its build targets run"],
  [".vbproj", ".NET project: its build targets run"],
  [".sln", ".NET solution"],
];

/** `vite.config.ts`, `webpack.config.js`, …: tool settings that run as code during the build. */
const CODE_CONFIG = /\.config\.(?:js|cjs|mjs|ts|cts|mts)$/;

/**
 * What the file is when a change to it changes how the project is built, installed or run
 * (a package manifest, a lock file, a build or shell script, a container build); undefined for
 * every other file. Protected CI definitions are refused before this is asked.
 */
export function buildFileKind(path: string): string | undefined {
  const name = (path.split("/").at(-1) ?? path).toLowerCase();
  if (name.startsWith("requirements") && name.endsWith(".txt")) return "Python dependencies";
  if (name.startsWith("dockerfile.")) return "container build";
  const known = BY_NAME.get(name);
  if (known !== undefined) return known;
  if (LOCK_FILES.has(name)) return "lock file: chooses the code every install runs";
  const ending = BY_ENDING.find(([suffix]) => name.endsWith(suffix));
  if (ending !== undefined) return ending[1];
  if (CODE_CONFIG.test(name)) return "tool settings that run as code in the build";
  return undefined;
}
