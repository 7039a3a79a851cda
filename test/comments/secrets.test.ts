import { describe, expect, it } from "vitest";
import { checkSecrets } from "../../src/editing/safety.js";
import { newSecrets, shannonEntropy } from "../../src/comments/secrets.js";

const fake = {
  github: "ghp_" + "Zq8vR2mXk4Lp7Tn1Wd5Yb9Hc3Jf6Ge0Ua8Si",
  fineGrained: "github_pat_11ABCDEFG0" + "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ",
  aws: "AKIA" + "QWERTYUIOPASDFGH",
  slack: "xoxb-" + "1234567890-abcdefghijkl",
};

describe("secret-looking strings in model output", () => {
  it.each([
    ["a GitHub token", `const token = "${fake.github}";`, "github_token"],
    ["a fine-grained GitHub token", `GH=${fake.fineGrained}`, "github_token"],
    ["an AWS access key", `aws_access_key_id = ${fake.aws}`, "aws_access_key"],
    ["a private key block", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "private_key"],
    ["an OpenSSH private key", "-----BEGIN OPENSSH PRIVATE KEY-----", "private_key"],
    ["a Slack token", `slack: ${fake.slack}`, "slack_token"],
    [
      "a random value assigned to a secret name",
      'apiKey: "sk-4f9aB7c6D5e4F3a2"',
      "high_entropy_assignment",
    ],
    [
      "a hex value assigned to a password",
      'DB_PASSWORD="9f86d081884c7d659a2feaa0c55ad015"',
      "high_entropy_assignment",
    ],
  ])("finds %s", (_what, text, kind) => {
    expect(newSecrets(undefined, text)).toMatchObject([{ kind, line: 1 }]);
  });

  it.each([
    ["a read from the environment", "const token = process.env.GITHUB_TOKEN;"],
    ["a workflow expression", "password: ${{ secrets.DB_PASSWORD }}"],
    ["a placeholder", 'apiKey: "your-api-key-goes-here"'],
    ["an English-like value", 'sort_key: "created_at_timestamp_desc"'],
    ["a short value", 'token: "abc123"'],
    ["a random value under an ordinary name", 'const checksum = "sk-4f9aB7c6D5e4F3a2";'],
  ])("ignores %s", (_what, text) => {
    expect(newSecrets(undefined, text)).toEqual([]);
  });

  it("measures Shannon entropy in bits per character", () => {
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
    expect(shannonEntropy("0123456789abcdef")).toBe(4);
  });

  it("refuses a new secret and never repeats it in the message", () => {
    const refusal = checkSecrets({
      path: "src/client.ts",
      before: "",
      after: `\nconst token = "${fake.github}";\n`,
    });
    expect(refusal).toMatchObject({
      reason: "secret_in_output",
      path: "src/client.ts",
      secretKinds: ["github_token"],
      message: expect.stringContaining("line 2 (github token)"),
    });
    expect(refusal!.message).not.toContain(fake.github.slice(4));
  });

  it("lets a secret-looking fixture the file already held pass", () => {
    const before = `const fixture = "${fake.aws}";\n`;
    expect(
      checkSecrets({ path: "test/aws.test.ts", before, after: `${before}const other = 1;\n` }),
    ).toBeUndefined();
  });
});
