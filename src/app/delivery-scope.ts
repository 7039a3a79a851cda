// A webhook delivery that Symphony could not take on (its queue full or closing) must not be
// answered 200, or GitHub shows it delivered and nobody can redeliver it: the listener's
// wrapper turns a refusal recorded here into a 503.
import { AsyncLocalStorage } from "node:async_hooks";

interface DeliveryState {
  refusal?: string;
}

const currentDelivery = new AsyncLocalStorage<DeliveryState>();

/** Thrown out of the listener so that Probot's webhook middleware answers with `status`. */
export class DeliveryRefusedError extends Error {
  override name = "DeliveryRefusedError";
  /** @octokit/webhooks' middleware answers with the first error's `status`. */
  readonly status = 503;
}

/** Runs a listener; resolves to the refusal it recorded, if any. */
export async function withinDelivery(listener: () => Promise<void>): Promise<string | undefined> {
  const state: DeliveryState = {};
  await currentDelivery.run(state, listener);
  return state.refusal;
}

/** Records that this delivery's work was refused; outside a listener it does nothing. */
export function refuseDelivery(reason: string): void {
  const state = currentDelivery.getStore();
  if (state !== undefined) state.refusal ??= reason;
}
