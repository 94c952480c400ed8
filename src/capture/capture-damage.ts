/**
 * Raised inside a reader when the file itself is damaged (bad magic, absurd record length,
 * block length that does not add up). The driver catches it, keeps everything read before
 * `offset`, and marks the capture partial with this message.
 */
export class CaptureDamage extends Error {
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${detail} at byte ${offset}`);
    this.name = 'CaptureDamage';
  }
}
