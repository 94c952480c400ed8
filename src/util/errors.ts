/**
 * A mistake the user can fix (bad file, bad flag, bad site file). The CLI prints its message
 * alone — no stack trace — and exits with status 2.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
