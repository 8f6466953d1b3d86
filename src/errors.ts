// The action's own errors: messages written for the person who dispatched the workflow.

/** An error whose message says what went wrong and what to do; reported as it is. */
export class ActionError extends Error {
  override readonly name: string = 'ActionError';
}

/** Bad input: names the input, and is raised before any AWS or GitHub call. */
export class InputError extends ActionError {
  override readonly name = 'InputError';
  readonly input: string;
  constructor(input: string, problem: string) {
    super(`Input ${input} ${problem}`);
    this.input = input;
  }
}
