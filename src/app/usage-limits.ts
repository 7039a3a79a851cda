// Operator-set caps on how much one repository or one person may ask of the model per period.
// `NoUsageLimits` is the behaviour with no caps configured; caps from the environment replace it.

export interface UsageRequest {
  /** "owner/repo". */
  repository: string;
  /** The login of the person who asked (the webhook's sender). */
  user: string;
}

export type Admission =
  | { ok: true }
  /** Refused: `reason` is the sentence the user reads; `retryAt` when a run fits again. */
  | { ok: false; reason: string; retryAt: Date };

export interface UsageLimits {
  /** Counts a run against the caps when it is admitted. */
  admit(request: UsageRequest): Admission;
  /** Counts the tokens a run spent against the repository's daily cap. */
  recordTokens(repository: string, tokens: number): void;
}

export class NoUsageLimits implements UsageLimits {
  admit(): Admission {
    return { ok: true };
  }

  recordTokens(): void {}
}
