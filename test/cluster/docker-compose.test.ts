// The docker-compose file the operations guide points at: Redis and two replicas that use it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  ports?: string[];
}

const compose = parse(readFileSync(new URL("../../docker-compose.yml", import.meta.url), "utf8"), {
  merge: true,
}) as { services: Record<string, Service> };
const replicas = Object.entries(compose.services).filter(([, service]) => service.build === ".");

describe("docker-compose.yml", () => {
  it("runs Redis with an append-only file and no eviction, so queued jobs survive", () => {
    const redis = compose.services.redis;

    expect(redis?.image).toMatch(/^redis:7/);
    expect(redis?.command).toEqual(expect.arrayContaining(["--appendonly", "yes", "noeviction"]));
  });

  it("runs two replicas of the App image, each pointed at that Redis once it is healthy", () => {
    expect(replicas).toHaveLength(2);
    for (const [, service] of replicas) {
      expect(service.environment?.REDIS_URL).toBe("redis://redis:6379");
      expect(service.depends_on?.redis?.condition).toBe("service_healthy");
    }
  });

  it("gives each replica more time to stop than Symphony's 25 s shutdown grace", () => {
    for (const [, service] of replicas) expect(service.stop_grace_period).toBe("30s");
  });

  it("publishes the replicas on different host ports", () => {
    const ports = replicas.map(([, service]) => service.ports?.[0]?.split(":")[0]);

    expect(new Set(ports).size).toBe(2);
  });
});
