/** A backfill request that cannot be honoured as given: exit 2, naming the flag to change. */
export class BackfillUsageError extends Error {
  constructor(
    readonly flag: string,
    detail: string,
  ) {
    super(`${flag}: ${detail}`);
    this.name = 'BackfillUsageError';
  }
}
