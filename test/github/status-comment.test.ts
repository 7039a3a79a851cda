import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import type { GitHubClient } from "../../src/github/client.js";
import { StatusComment } from "../../src/github/status-comment.js";
import {
  githubApi,
  issueComment,
  mockIssueComments,
  testClient,
  useGitHubMock,
} from "../support/github.js";
import { TEST_BOT_LOGIN } from "../support/probot.js";

useGitHubMock();

const issue = { owner: "Codertocat", repo: "Hello-World", issue_number: 1 };
const marker = { kind: "plan", key: "1" };
const EDIT = "/repos/Codertocat/Hello-World/issues/comments/42";

/** Posts the status comment on a fresh issue and records every later edit with its time. */
async function postStatus(clock: ManualClock, log?: { warn: () => void }) {
  const edits: { at: number; body: string }[] = [];
  const scope = mockIssueComments(githubApi(), 1, [])
    .post("/repos/Codertocat/Hello-World/issues/1/comments")
    .reply(201, issueComment({ id: 42, body: "" }));
  const status = await StatusComment.post(
    { client: testClient(), issue, marker, author: TEST_BOT_LOGIN, clock, ...(log ? { log } : {}) },
    "Planning… 1/5",
  );
  expect(scope.isDone()).toBe(true);
  const acceptEdits = (times: number) =>
    githubApi()
      .patch(EDIT, (body: { body: string }) => {
        edits.push({ at: clock.now(), body: body.body.replace("<!-- symphony:plan:1 -->\n", "") });
        return true;
      })
      .times(times)
      .reply(200, issueComment({ id: 42, body: "" }));
  return { status, edits, acceptEdits };
}

/**
 * A client that notes the clock when each edit is sent (nock would see it a few ticks later,
 * after the clock has moved on), on an issue without comments.
 */
function clientTimingEdits(
  clock: ManualClock,
  sentAt: number[],
  sentBodies: string[] = [],
): GitHubClient {
  const reply = { data: issueComment({ id: 42, body: "" }) };
  const fake = {
    paginate: {
      iterator: async function* () {
        yield { data: [] };
      },
    },
    rest: {
      issues: {
        listComments: () => undefined,
        createComment: () => Promise.resolve(reply),
        updateComment: (params: { body: string }) => {
          sentAt.push(clock.now());
          sentBodies.push(params.body);
          return Promise.resolve(reply);
        },
      },
    },
  };
  return fake as unknown as GitHubClient;
}

describe("StatusComment", () => {
  it("posts the first body at once, with its marker", async () => {
    const posted: string[] = [];
    mockIssueComments(githubApi(), 1, [])
      .post("/repos/Codertocat/Hello-World/issues/1/comments", (body: { body: string }) => {
        posted.push(body.body);
        return true;
      })
      .reply(201, issueComment({ id: 42, body: "" }));

    const status = await StatusComment.post(
      { client: testClient(), issue, marker, author: TEST_BOT_LOGIN, clock: new ManualClock() },
      "Planning…",
    );

    expect(posted).toEqual(["<!-- symphony:plan:1 -->\nPlanning…"]);
    expect(status.commentId).toBe(42);
  });

  it("folds updates within 3 s into one edit carrying the newest body", async () => {
    const clock = new ManualClock();
    const { status, edits, acceptEdits } = await postStatus(clock);
    acceptEdits(1);

    clock.advance(500);
    status.update("Planning… 2/5");
    clock.advance(500);
    status.update("Planning… 3/5");
    clock.advance(2_000);

    await vi.waitFor(() => expect(edits).toEqual([{ at: 3_000, body: "Planning… 3/5" }]));
  });

  it("writes an update at once when the last write is 3 s old", async () => {
    const clock = new ManualClock();
    const { status, edits, acceptEdits } = await postStatus(clock);
    acceptEdits(1);

    clock.advance(5_000);
    status.update("Planning… 2/5");

    await vi.waitFor(() => expect(edits).toEqual([{ at: 5_000, body: "Planning… 2/5" }]));
  });

  it("keeps at least 3 s between edits however often it is updated", async () => {
    const clock = new ManualClock();
    const sentAt: number[] = [];
    const sentBodies: string[] = [];
    const client = clientTimingEdits(clock, sentAt, sentBodies);
    const status = await StatusComment.post(
      { client, issue, marker, author: TEST_BOT_LOGIN, clock },
      "Planning… 1/40",
    );

    for (let step = 2; step <= 40; step += 1) {
      clock.advance(400);
      status.update(`Planning… ${step}/40`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    clock.advance(3_000);
    await new Promise((resolve) => setImmediate(resolve));

    // 39 updates over 15.6 s: six edits, 3 s apart, the last one carrying the last update.
    expect(sentAt).toEqual([3_000, 6_000, 9_000, 12_000, 15_000, 18_000]);
    expect(sentBodies.at(-1)).toBe("<!-- symphony:plan:1 -->\nPlanning… 40/40");
    expect(status.body).toBe(sentBodies.at(-1));
  });

  it("writes the final body on flush() right away, dropping the pending edit", async () => {
    const clock = new ManualClock();
    const { status, edits, acceptEdits } = await postStatus(clock);
    acceptEdits(1);

    clock.advance(100);
    status.update("Planning… 2/5");
    await status.flush("## The plan");

    expect(edits).toEqual([{ at: 100, body: "## The plan" }]);
    expect(clock.pending).toBe(0);
  });

  it("does not edit when the body has not changed", async () => {
    const clock = new ManualClock();
    const { status, edits } = await postStatus(clock);

    clock.advance(5_000);
    status.update("Planning… 1/5");
    await status.flush();

    expect(edits).toEqual([]);
  });

  it("logs a failed edit and writes the body on flush()", async () => {
    const clock = new ManualClock();
    const log = { warn: vi.fn() };
    const { status, edits, acceptEdits } = await postStatus(clock, log);
    githubApi().patch(EDIT).reply(502, { message: "Bad Gateway" });

    clock.advance(5_000);
    status.update("Planning… 2/5");
    await vi.waitFor(() => expect(log.warn).toHaveBeenCalledOnce());
    acceptEdits(1);
    await status.flush();

    expect(edits).toEqual([{ at: 5_000, body: "Planning… 2/5" }]);
  });
});
