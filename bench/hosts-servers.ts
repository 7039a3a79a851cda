// The hosts bench's three scripted model servers, in a worker thread of their own: real hosts are
// other machines, and in the bench's thread their HTTP work would take the CPU the dispatcher
// is measured on. Messages: "close <i>" stops one host, "close" all; each is answered "closed".
import { parentPort, workerData } from "node:worker_threads";
import { fixtureReplyFor, MODEL } from "../test/features/plan/plan-fixtures.js";
import { startModelServer } from "../test/support/model-server.js";

interface HostsData {
  answerMs: number[];
  chunkSize: number;
}

const { answerMs, chunkSize } = workerData as HostsData;
const servers = await Promise.all(
  answerMs.map(async (ms) => {
    const server = await startModelServer({
      models: [{ name: MODEL }],
      loaded: [MODEL],
      chunkSize,
    });
    server.respond((request) => {
      const reply = fixtureReplyFor(request);
      return reply === undefined ? undefined : { json: reply, headerDelayMs: ms };
    });
    return server;
  }),
);
parentPort!.on("message", (message: string) => {
  const index = message === "close" ? undefined : Number(message.split(" ")[1]);
  const closing = index === undefined ? servers : [servers[index]!];
  void Promise.all(closing.map((server) => server.close())).then(() =>
    parentPort!.postMessage("closed"),
  );
});
parentPort!.postMessage(servers.map((server) => server.url));
