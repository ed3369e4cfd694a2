// Every failure to materialise a Function's code says what went wrong and what the user can do,
// because it ends up verbatim in the Function's Ready condition.
export type PrepareFailure =
  'ContentInvalid' | 'FetchFailed' | 'ChecksumMismatch' | 'ArchiveInvalid' | 'TooLarge';

export class PrepareError extends Error {
  override readonly name = 'PrepareError';
  constructor(
    readonly reason: PrepareFailure,
    message: string,
  ) {
    super(message);
  }
}
