// Which `models.<agent>` choices the operator refused, read from what actually ran.
import { describe, expect, it } from "vitest";
import { describeRefusedModel, refusedModels } from "../../src/config/refused-models.js";

const ran = (agent: string, model: string) => ({ agent, model });

describe("refused model choices", () => {
  it("names each agent whose configured model is not allowed and did not run, once", () => {
    expect(
      refusedModels(
        { planner: "big", editor: "small" },
        ["small", "default"],
        [ran("planner", "default"), ran("planner", "default"), ran("editor", "small")],
      ),
    ).toEqual([{ agent: "planner", model: "big", ran: "default" }]);
  });

  it("refuses nothing when the model named is the one that ran, allowed or not", () => {
    // The operator's default model runs even when SYMPHONY_ALLOWED_MODELS leaves it out.
    expect(refusedModels({ planner: "default" }, ["other"], [ran("planner", "default")])).toEqual(
      [],
    );
  });

  it("refuses nothing when the runtime does not say what it allows", () => {
    expect(refusedModels({ planner: "big" }, [], [ran("planner", "default")])).toEqual([]);
  });

  it("says which setting, which model, and what ran instead", () => {
    expect(describeRefusedModel({ agent: "planner", model: "big", ran: "default" })).toBe(
      "`models.planner` names `big`, which the operator does not allow (`SYMPHONY_ALLOWED_MODELS`), so `default` ran instead.",
    );
  });
});
