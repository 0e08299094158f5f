/** A POS operation refused because of its input: the field (JSON path) and what is wrong. */
export class InvalidOperationError extends Error {
  override name = 'InvalidOperationError';
  constructor(public readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.reason = message;
  }
  readonly reason: string;
}
