import { describe, expect, it } from "vitest";
import { pathExclusions } from "../../../src/features/refactor/exclusions.js";

const defaults = pathExclusions({ includeTests: false, ignore: [] });

describe("files that are never hotspots", () => {
  it.each([
    ["test/refactor/hotspots.test.ts", "test"],
    ["src/app/__tests__/view.tsx", "test"],
    ["pkg/store/store_test.go", "test"],
    ["tests/test_inventory.py", "test"],
    ["spec/models/cart_spec.rb", "test"],
    ["src/main/java/OrdersTest.java", "test"],
    ["web/button.spec.js", "test"],
  ])("treats %s as a test", (path, reason) => {
    expect(defaults(path)).toBe(reason);
  });

  it.each([
    ["vendor/github.com/x/y/z.go", "vendored"],
    ["packages/ui/node_modules/react/index.js", "vendored"],
    ["third_party/zlib/inflate.c", "vendored"],
    ["dist/index.js", "generated"],
    ["packages/api/build/server.js", "generated"],
    ["src/types/api.d.ts", "generated"],
    ["public/app.min.js", "generated"],
    ["api/v1/service.pb.go", "generated"],
    ["proto/service_pb2.py", "generated"],
    ["package-lock.json", "lock"],
    ["app/Gemfile.lock", "lock"],
    ["go.sum", "lock"],
    ["assets/Logo.PNG", "binary"],
    ["bin/tool.exe", "binary"],
  ])("leaves %s out as %s", (path, reason) => {
    expect(defaults(path)).toBe(reason);
  });

  it.each(["src/index.ts", "lib/cart.rb", "cmd/server/main.go", "src/testing-library.ts"])(
    "keeps source file %s",
    (path) => {
      expect(defaults(path)).toBeUndefined();
    },
  );

  it("keeps tests when include_tests is on", () => {
    const withTests = pathExclusions({ includeTests: true, ignore: [] });
    expect(withTests("test/refactor/hotspots.test.ts")).toBeUndefined();
  });

  it("leaves out what the config's ignore globs match", () => {
    const ignoring = pathExclusions({ includeTests: false, ignore: ["legacy/**", "**/*.gen.ts"] });
    expect([ignoring("legacy/old.ts"), ignoring("src/index.ts")]).toEqual(["ignored", undefined]);
  });
});
