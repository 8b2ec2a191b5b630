/** An error ECS itself would return: the wire layer renders it as the documented envelope with this HTTP status. */
export class EcsError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    readonly recommend?: string,
  ) {
    super(message);
    this.name = "EcsError";
  }
}
