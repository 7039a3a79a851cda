// The failures that end an Action run, each carrying the sentence the workflow's author reads.

/** Anything the Action stops on; its message is what `core.setFailed` shows. */
export class ActionFailure extends Error {
  override name = "ActionFailure";
}

/** The workflow ran on an event Symphony has no work for. */
export class UnsupportedEventError extends ActionFailure {
  override name = "UnsupportedEventError";
}

/** A required input is missing or unusable. */
export class ActionInputError extends ActionFailure {
  override name = "ActionInputError";
}

/** The model host did not answer in time, or lacks the model. */
export class ModelHostError extends ActionFailure {
  override name = "ModelHostError";
}
