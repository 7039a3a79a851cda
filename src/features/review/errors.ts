// Typed errors of the review core; each message says what the user can do about it.

/** The model's context leaves too little room to show even one diff line with its heading. */
export class ReviewBudgetTooSmallError extends Error {
  override name = "ReviewBudgetTooSmallError";
  constructor(
    readonly budget: number,
    readonly needed: number,
  ) {
    super(
      `the model's context leaves ~${budget} tokens for the diff, but one hunk line needs ~${needed}; ` +
        `choose a model with a longer context or raise max_context_tokens in .github/symphony.yml`,
    );
  }
}
