// `npm run build:action`: bundles the Action into dist/index.js (committed; action.yml runs it).
// `--check` builds in memory and fails when dist/ differs, which is how CI catches a stale bundle.
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type BuildOptions } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = join(root, "dist");

/** Deterministic: no timestamps, no absolute paths, so a rebuild of the same source is identical. */
export const bundleOptions: BuildOptions = {
  absWorkingDir: root,
  entryPoints: { index: "src/action/run.ts" },
  outdir: "dist",
  // A module that imports a heavy dependency lazily (`await import(…)`) gets it as a chunk that
  // loads only when used, so the cold start stays short.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  legalComments: "linked",
  charset: "utf8",
  logLevel: "warning",
  // CommonJS dependencies call require() and read __filename; an ES module has neither.
  banner: {
    js: [
      'import { createRequire as __symphonyRequire } from "node:module";',
      'import { fileURLToPath as __symphonyPath } from "node:url";',
      "const require = __symphonyRequire(import.meta.url);",
      "const __filename = __symphonyPath(import.meta.url);",
      'const __dirname = __symphonyPath(new URL(".", import.meta.url));',
    ].join("\n"),
  },
};

/** dist/package.json: the bundle is an ES module wherever the Action's files are copied. */
const PACKAGE_JSON = `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`;

/** Every file of dist/ as the build makes it, by path relative to the repository root. */
export async function renderDist(): Promise<Map<string, Uint8Array>> {
  const result = await build({ ...bundleOptions, write: false });
  const files = new Map<string, Uint8Array>();
  for (const file of result.outputFiles) files.set(relative(root, file.path), file.contents);
  files.set(join("dist", "package.json"), new TextEncoder().encode(PACKAGE_JSON));
  return files;
}

async function writeDist(files: Map<string, Uint8Array>): Promise<void> {
  await rm(DIST, { recursive: true, force: true });
  await mkdir(DIST, { recursive: true });
  for (const [path, contents] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), contents);
  }
}

/** Paths that differ between the fresh build and dist/ on disk. */
async function staleFiles(files: Map<string, Uint8Array>): Promise<string[]> {
  const onDisk = await readdir(DIST, { recursive: true, withFileTypes: true }).catch(() => []);
  const stale = onDisk
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((path) => !files.has(path));
  for (const [path, contents] of files) {
    const current = await readFile(join(root, path)).catch(() => undefined);
    if (current === undefined || Buffer.compare(current, contents) !== 0) stale.push(path);
  }
  return stale;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = await renderDist();
  if (process.argv.includes("--check")) {
    const stale = await staleFiles(files);
    if (stale.length > 0) {
      console.error(
        `dist/ is stale (${stale.join(", ")}): run \`npm run build:action\` and commit dist/.`,
      );
      process.exitCode = 1;
    } else {
      console.log("dist/ matches the sources.");
    }
  } else {
    await writeDist(files);
    const size = files.get(join("dist", "index.js"))?.byteLength ?? 0;
    console.log(`wrote dist/index.js (${(size / 1024 / 1024).toFixed(2)} MB)`);
  }
}
