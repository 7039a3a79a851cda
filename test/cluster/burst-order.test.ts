// A burst of labels on one repository, taken by two App instances on one real Redis: every plan
// is written, in the order the labels arrived, as GitHub (nock) sees the writes, though later
// issues plan faster and each instance works two deliveries at once.
import nock from "nock";
import { afterAll, beforeAll, expect, it } from "vitest";
import { registerPlanListeners } from "../../src/features/plan/plan.js";
import {
  epicReply,
  intentReply,
  planReply,
  taskListReply,
  visualReply,
} from "../agents/fixtures.js";
import { FIXTURE_FILES } from "../features/plan/plan-fixtures.js";
import { blobs, HEAD_SHA, TREE_SHA } from "../features/plan/plan-support.js";
import { githubApi, issueComment } from "../support/github.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import { deliver, webhookPayload } from "../support/probot.js";
import { describeWithRedis, givenRedis, type GivenRedis } from "./given-cluster.js";

const LABELS = 30;
const REPO = "/repos/Codertocat/Hello-World";

describeWithRedis("a burst of labels on one repository, two instances", () => {
  let redis: GivenRedis;
  beforeAll(async () => {
    redis = await givenRedis();
  });
  afterAll(async () => {
    await redis.stop();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it(
    `writes all ${LABELS} plans in the order the labels arrived`,
    { timeout: 60_000 },
    async () => {
      const plans: number[] = [];
      mockGitHub(plans);
      // Later issues plan faster: runs that overlapped would write their plans out of order.
      const models = new MockModelRuntime()
        .respond("enhancer", async (call) => {
          const issue = Number(/Issue (\d+)/.exec(JSON.stringify(call.messages))?.[1]);
          await new Promise((resolve) => setTimeout(resolve, 4 * (LABELS - issue)));
          return intentReply();
        })
        .respond("feature", () => epicReply())
        .respond("planner", () => planReply())
        .respond("coordinator", () => taskListReply())
        .respond("visualizer", () => visualReply());
      // Each instance a replica with the plan feature only, its model answering as scripted.
      const instance = () =>
        redis.appReplica({ prefix: "burst", models, listeners: [registerPlanListeners] });
      const instances = [await instance(), await instance()];
      await Promise.all(
        instances.map(({ replica }) =>
          waitUntil(() => replica.deliveries.redis.status === "ready"),
        ),
      );

      for (let issue = 1; issue <= LABELS; issue += 1) {
        const { probot } = instances[issue % 2]!;
        await deliver(probot, "issues.labeled", labeled(issue), `label-${issue}`);
      }
      await waitUntil(() => plans.length === LABELS);

      expect(plans).toEqual(Array.from({ length: LABELS }, (_, i) => i + 1));
    },
  );
});

function labeled(issue: number) {
  return webhookPayload("issues.labeled", (payload) => {
    payload.label = { ...payload.label!, name: "symphony" };
    payload.issue.number = issue;
    payload.issue.title = `Issue ${issue}`;
    payload.issue.labels = [];
  });
}

/** GitHub for every issue of the burst; records the issue of each plan written, in order. */
function mockGitHub(plans: number[]): void {
  const issueOf = (path: string): number => Number(/issues\/(\d+)/.exec(path)?.[1]);
  githubApi()
    .persist()
    .post(/\/app\/installations\/\d+\/access_tokens/)
    .reply(201, { token: "ghs_test", expires_at: "2999-01-01T00:00:00Z" })
    .get(/\/contents\/\.github%2Fsymphony\.yml$/)
    .reply(404, { message: "Not Found" })
    .get(/\/collaborators\/[^/]+\/permission$/)
    .reply(200, { permission: "write", role_name: "write", user: { login: "Codertocat" } })
    .get(/\/issues\/\d+\/comments/)
    .reply(200, [])
    .post(/\/issues\/\d+\/comments$/)
    .reply(201, (path) => issueComment({ id: 1_000 + issueOf(path), body: "" }))
    .patch(/\/issues\/comments\/\d+$/)
    .reply(200, (path, body: { body: string }) => {
      const issue = Number(/comments\/(\d+)/.exec(path)?.[1]) - 1_000;
      if (body.body.includes("## Plan:")) plans.push(issue);
      return issueComment({ id: 1_000 + issue, body: body.body });
    })
    .get(/\/issues\/\d+$/)
    .reply(200, (path) => ({
      number: issueOf(path),
      title: `Issue ${issueOf(path)}`,
      body: "When someone opens their first issue, the bot should post a welcome comment.",
      labels: [{ name: "symphony" }],
      state: "open",
      user: { login: "Codertocat", type: "User" },
    }))
    .get(REPO)
    .reply(200, { default_branch: "main" })
    .get(`${REPO}/branches/main`)
    .reply(200, { name: "main", commit: { sha: HEAD_SHA, commit: { tree: { sha: TREE_SHA } } } })
    .get(`${REPO}/git/trees/${TREE_SHA}`)
    .query(true)
    .reply(200, {
      sha: TREE_SHA,
      truncated: false,
      tree: blobs(FIXTURE_FILES).map((entry) => ({
        path: entry.path,
        type: entry.type,
        mode: entry.type === "tree" ? "040000" : "100644",
        sha: "0000000000000000000000000000000000000000",
        ...(entry.type === "blob" ? { size: 1200 } : {}),
      })),
    })
    .get(`${REPO}/readme`)
    .query(true)
    .reply(404, { message: "Not Found" });
}

async function waitUntil(ready: () => boolean, ms = 50_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
