import { describe, expect, it } from "vitest";
import { parseRepoConfig as parseConfig } from "../../../src/config/load.js";
import { withMarker } from "../../../src/github/markers.js";
import {
  choosePlanArms,
  learningModels,
  ratedPlans,
} from "../../../src/features/plan/conductor-arms.js";
import { PLAN_AGENTS, type PlanAgentName } from "../../../src/agents/registry.js";
import { renderPlanComment } from "../../../src/features/plan/plan-markdown.js";
import { sampleRecord } from "./sample-record.js";
import { EXAMPLE_REPO, githubApi, testClient, useGitHubMock } from "../../support/github.js";

useGitHubMock();

const BOT = "symphony[bot]";
const BIG = "qwen2.5-coder:14b";
const SMALL = "llama3.2:3b";

function config(conductor?: string) {
  return parseConfig(conductor === undefined ? {} : { models: { conductor } });
}

/**
 * A plan comment made with one model for every agent, as GitHub lists it with its reactions. Its
 * agents ran today's prompts, so its evidence counts for the arms chosen today.
 */
function planComment(issue: number, model: string, plusOne: number, minusOne: number) {
  const record = sampleRecord({ issue_number: issue });
  record.usage = record.usage.map((usage) => ({
    ...usage,
    model,
    promptVersion: PLAN_AGENTS[usage.agent as PlanAgentName].promptVersion,
  }));
  return {
    id: issue,
    body: withMarker(renderPlanComment(record), { kind: "plan", key: String(issue) }),
    user: { login: BOT, type: "Bot" },
    reactions: { "+1": plusOne, "-1": minusOne, total_count: plusOne + minusOne },
  };
}

/** Ten plans by the small model people liked, ten by the big one they did not. */
function mockFeedback(): void {
  const comments = [
    ...Array.from({ length: 10 }, (_, i) => planComment(100 + i, SMALL, 2, 0)),
    ...Array.from({ length: 10 }, (_, i) => planComment(200 + i, BIG, 0, 1)),
    { id: 999, body: "a maintainer's note", user: { login: "octocat" }, reactions: { "+1": 5 } },
  ];
  githubApi()
    .get("/repos/Codertocat/Hello-World/issues/comments")
    .query({ sort: "updated", direction: "desc", per_page: 100 })
    .reply(200, comments)
    .get("/repos/Codertocat/Hello-World/pulls")
    .query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 })
    .reply(200, [
      {
        number: 5,
        body: "Closes #100",
        head: { ref: "symphony/issue-100" },
        merged_at: "2026-01-01T00:00:00Z",
      },
      { number: 6, body: "Closes #200", head: { ref: "symphony/issue-200" }, merged_at: null },
      { number: 7, body: "Closes #101", head: { ref: "feature/other" }, merged_at: null },
    ])
    .get("/repos/Codertocat/Hello-World/issues")
    .query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 })
    .reply(200, []);
}

describe("the Conductor's learning", () => {
  it("learns only among listed models the operator allows, and not at all when fixed", () => {
    expect(learningModels(config(), [BIG, SMALL])).toEqual([]);
    expect(learningModels(config("fixed"), [BIG, SMALL])).toEqual([]);
    expect(learningModels(config(`${SMALL}, ${BIG}, gpt-5`), [BIG, SMALL])).toEqual([SMALL, BIG]);
  });

  it("rates a plan by its reactions, and again by its pull request merged or closed", () => {
    const outputs = ratedPlans({
      comments: [
        { body: planComment(1, SMALL, 3, 1).body, plusOne: 3, minusOne: 1 },
        { body: planComment(2, BIG, 1, 1).body, plusOne: 1, minusOne: 1 },
      ],
      pulls: [
        { body: "Closes #1", merged: true },
        { body: "Closes #2", merged: false },
      ],
      notPlanned: [],
    });
    expect(outputs.map((output) => [output.arms[0]?.model, output.kept])).toEqual([
      [SMALL, true],
      [BIG, undefined],
      [SMALL, true],
      [BIG, false],
    ]);
  });

  it("counts a refined plan and a plan whose issue was closed as not planned as half a rejection each", () => {
    const refined = sampleRecord({ issue_number: 3, mode: "refine" });
    refined.usage = refined.usage.map((usage) => ({ ...usage, model: BIG }));
    refined.replaced = [[{ agent: "planner", model: SMALL, promptVersion: "planner@1" }]];
    const outputs = ratedPlans({
      comments: [
        {
          body: withMarker(renderPlanComment(refined), { kind: "plan", key: "3" }),
          plusOne: 0,
          minusOne: 0,
        },
        { body: planComment(4, SMALL, 0, 0).body, plusOne: 0, minusOne: 0 },
      ],
      pulls: [],
      notPlanned: [4],
    });
    expect(
      outputs
        .filter((output) => output.kept !== undefined)
        .map((output) => [output.arms[0]?.model, output.arms.length, output.kept, output.weight]),
    ).toEqual([
      [SMALL, 1, false, 0.5],
      [SMALL, 5, false, 0.5],
    ]);
  });

  it("reads which issues were closed as not planned, leaving pull requests and other closings out", async () => {
    githubApi()
      .get("/repos/Codertocat/Hello-World/issues/comments")
      .query(true)
      .reply(200, [
        planComment(4, SMALL, 0, 0),
        planComment(5, SMALL, 0, 0),
        planComment(6, SMALL, 0, 0),
      ])
      .get("/repos/Codertocat/Hello-World/pulls")
      .query(true)
      .reply(200, [])
      .get("/repos/Codertocat/Hello-World/issues")
      .query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 })
      .reply(200, [
        { number: 4, state: "closed", state_reason: "not_planned" },
        { number: 5, state: "closed", state_reason: "completed" },
        { number: 6, state: "closed", state_reason: "not_planned", pull_request: { url: "" } },
      ]);
    const choice = await choosePlanArms({
      client: testClient(),
      repo: EXAMPLE_REPO,
      config: config(`${SMALL},${BIG}`),
      botLogin: BOT,
      allowedModels: [BIG, SMALL],
      random: () => 0.5,
    });
    // Half a rejection for SMALL: the floor (3 × ln 1.5 ≈ 1.2) sends the next plan to BIG.
    expect(choice.arms[0]).toMatchObject({
      model: BIG,
      reason: "exploration floor: 0 of 0.5 rated runs went to this arm",
    });
  });

  it("starts on the operator's routed model when models.conductor lists it, though not first", async () => {
    githubApi()
      .get("/repos/Codertocat/Hello-World/issues/comments")
      .query(true)
      .reply(200, [])
      .get("/repos/Codertocat/Hello-World/pulls")
      .query(true)
      .reply(200, [])
      .get("/repos/Codertocat/Hello-World/issues")
      .query(true)
      .reply(200, []);
    const choice = await choosePlanArms({
      client: testClient(),
      repo: EXAMPLE_REPO,
      config: config(`${BIG},${SMALL}`),
      botLogin: BOT,
      allowedModels: [BIG, SMALL],
      modelFor: (agent) =>
        agent === "enhancer"
          ? { model: SMALL, from: "routing" }
          : { model: "gpt-5", from: "default" },
    });
    expect(choice.arms.slice(0, 2).map((arm) => [arm.agent, arm.model, arm.reason])).toEqual([
      ["enhancer", SMALL, "no feedback yet: the operator's routing for this agent"],
      ["feature", BIG, "no feedback yet: the first model models.conductor lists"],
    ]);
  });

  it("reads the evidence back from GitHub on every choice, so a restarted process chooses the same way", async () => {
    const choices = [];
    for (const _restart of [1, 2]) {
      mockFeedback();
      choices.push(
        await choosePlanArms({
          client: testClient(),
          repo: EXAMPLE_REPO,
          config: config(`${BIG},${SMALL}`),
          botLogin: BOT,
          allowedModels: [BIG, SMALL],
          random: () => 0.5,
        }),
      );
    }
    expect(choices[1]).toEqual(choices[0]);
    expect(choices[0]!.models).toEqual({
      enhancer: SMALL,
      feature: SMALL,
      planner: SMALL,
      coordinator: SMALL,
      visualizer: SMALL,
    });
    expect(choices[0]!.arms[0]).toMatchObject({
      agent: "enhancer",
      model: SMALL,
      promptVersion: PLAN_AGENTS.enhancer.promptVersion,
      reason: expect.stringContaining("Thompson sampling: 11 kept of 11 rated"),
    });
  });

  it("leaves an agent the repository pins to its pinned model", async () => {
    mockFeedback();
    const choice = await choosePlanArms({
      client: testClient(),
      repo: EXAMPLE_REPO,
      config: parseConfig({ models: { conductor: `${BIG},${SMALL}`, planner: BIG } }),
      botLogin: BOT,
      allowedModels: [BIG, SMALL],
      random: () => 0.5,
    });
    expect(choice.models.planner).toBeUndefined();
    expect(choice.arms.map((arm) => arm.agent)).not.toContain("planner");
  });

  it("names each agent's arm and why in the plan's run details", () => {
    const body = renderPlanComment(
      sampleRecord({
        arms: [
          {
            agent: "planner",
            model: SMALL,
            promptVersion: "planner@1",
            reason: "no feedback yet: the operator's routing",
          },
        ],
      }),
    );
    expect(body).toContain(
      "- The Conductor chose `llama3.2:3b` (`planner@1`) for the Planner agent: no feedback yet: the operator's routing.",
    );
  });

  it("names every agent's model and who chose it while learning is off, asking GitHub nothing", async () => {
    const choice = await choosePlanArms({
      client: testClient(),
      repo: EXAMPLE_REPO,
      config: parseConfig({ models: { planner: SMALL, coordinator: "gpt-5" } }),
      botLogin: BOT,
      allowedModels: [BIG, SMALL],
      modelFor: (agent, requested) => {
        if (requested === SMALL) return { model: SMALL, from: "repository" };
        if (requested !== undefined) return { model: BIG, from: "default", refused: requested };
        return agent === "enhancer"
          ? { model: SMALL, from: "routing" }
          : { model: BIG, from: "default" };
      },
    });
    expect(choice.models).toEqual({});
    expect(
      Object.fromEntries(choice.arms.map((arm) => [arm.agent, [arm.model, arm.reason]])),
    ).toEqual({
      enhancer: [
        SMALL,
        "learning is off (models.conductor): the operator's routing for this agent",
      ],
      feature: [BIG, "learning is off (models.conductor): the operator's default model"],
      planner: [SMALL, "the repository's models.planner names it"],
      coordinator: [
        BIG,
        "models.coordinator asks for gpt-5, which the operator does not allow: the default model",
      ],
      visualizer: [BIG, "learning is off (models.conductor): the operator's default model"],
    });
  });

  it("names a pinned agent's model beside the learned ones", async () => {
    mockFeedback();
    const choice = await choosePlanArms({
      client: testClient(),
      repo: EXAMPLE_REPO,
      config: parseConfig({ models: { conductor: `${BIG},${SMALL}`, planner: BIG } }),
      botLogin: BOT,
      allowedModels: [BIG, SMALL],
      modelFor: (_agent, requested) => ({ model: requested ?? BIG, from: "repository" }),
      random: () => 0.5,
    });
    expect(choice.arms.map((arm) => [arm.agent, arm.reason.split(":")[0]])).toEqual([
      ["enhancer", "Thompson sampling"],
      ["feature", "Thompson sampling"],
      ["planner", "the repository's models.planner names it"],
      ["coordinator", "Thompson sampling"],
      ["visualizer", "Thompson sampling"],
    ]);
  });

  it("names in the run details only the arms of agents that ran", () => {
    const record = sampleRecord({
      arms: [
        { agent: "planner", model: SMALL, promptVersion: "planner@1", reason: "a reason" },
        { agent: "nobody", model: SMALL, promptVersion: "nobody@1", reason: "never ran" },
      ],
    });
    const lines = renderPlanComment(record)
      .split("\n")
      .filter((line) => line.startsWith("- The Conductor chose"));
    expect(lines).toEqual([
      "- The Conductor chose `llama3.2:3b` (`planner@1`) for the Planner agent: a reason.",
    ]);
  });

  it("asks GitHub nothing while learning is off", async () => {
    const choice = await choosePlanArms({
      client: testClient(),
      repo: EXAMPLE_REPO,
      config: config(),
      botLogin: BOT,
      allowedModels: [BIG, SMALL],
    });
    expect(choice).toEqual({ models: {}, arms: [] });
  });
});
