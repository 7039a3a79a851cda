// The Action's entry point, bundled into dist/index.js.
import { runAction } from "./runner.js";

await runAction();
// Keep-alive sockets and a pending rate-limit timer must not hold a finished job open.
process.exit();
