// The greeter's issue handler, against a mocked GitHub.
import { describe, it } from "node:test";

describe("issues.opened", () => {
  it("thanks the author", { todo: "mock GitHub with nock and deliver issues.opened" });
});
