import { afterEach, describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../src/create-app.js";
import { SymphonyMetrics } from "../../src/app/metrics.js";
import { createModelRuntime, loadRuntimeSettings } from "../../src/runner/index.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { TEST_BOT_LOGIN } from "../support/probot.js";
import {
  startSymphonyServer,
  useGitHubMockWithLocalServers,
  type RunningServer,
} from "./harness.js";

useGitHubMockWithLocalServers();

let running: RunningServer | undefined;
const servers: ModelServer[] = [];
afterEach(async () => {
  await running?.stop();
  running = undefined;
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The App over two scripted Ollama hosts, the second already stopped. */
async function serveTwoHosts() {
  const up = await startModelServer();
  const down = await startModelServer();
  servers.push(up);
  const downUrl = down.url;
  await down.close();
  const metrics = new SymphonyMetrics();
  const runtime = createModelRuntime(
    loadRuntimeSettings({ SYMPHONY_MODEL_HOSTS: `${up.url},${downUrl}` }),
    { backoff: () => 0, onHostCall: (report) => metrics.hostCall(report) },
  );
  running = await startSymphonyServer({
    app: createSymphonyApp({ runtime, metrics, botLogin: TEST_BOT_LOGIN, listeners: [] }),
  });
  return { url: running.url, up, downUrl, runtime };
}

describe("the operator's endpoints with several model hosts", () => {
  it("says on /readyz which hosts answer, and is ready while one has the model", async () => {
    const { url, up, downUrl } = await serveTwoHosts();

    const response = await fetch(`${url}/readyz`);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; hosts: object[] };
    expect(body.status).toBe("ready");
    expect(body.hosts).toEqual([
      { host: up.url, answering: true },
      { host: downUrl, answering: false, problem: expect.stringContaining("connection refused") },
    ]);
  });

  it("reports requests, failures, in flight and up or down per host on /metrics", async () => {
    const { url, up, downUrl, runtime } = await serveTwoHosts();
    up.respond(() => ({ content: "ok" }));
    const ask = (content: string) =>
      runtime.generateText({
        agent: "planner",
        promptVersion: "planner@1",
        messages: [{ role: "user", content }],
      });
    // Start-up's health check already marked the stopped host down: both calls go to the live one.
    await ask("One.");
    await ask("Two.");
    await runtime.health();

    const text = await (await fetch(`${url}/metrics`)).text();

    expect(text).toContain(`symphony_model_host_requests_total{host="${up.url}",outcome="ok"} 2`);
    expect(text).toContain(`symphony_model_host_up{host="${up.url}"} 1`);
    expect(text).toContain(`symphony_model_host_up{host="${downUrl}"} 0`);
    expect(text).toContain(`symphony_model_host_in_flight{host="${up.url}"} 0`);
    expect(text).toMatch(
      new RegExp(
        `symphony_model_host_request_duration_seconds_count\\{host="${up.url.replace(/[./]/g, "\\$&")}"\\} 2`,
      ),
    );
  });
});
