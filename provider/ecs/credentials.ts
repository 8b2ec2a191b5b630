/**
 * What signs an ECS request. The provider's settings decide the source; the wire client asks it for the values on every
 * request, so rotating STS credentials keep working.
 */
export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface CredentialsSource {
  /** Where the credentials come from, for messages (never the values). */
  readonly description: string;
  /** Tells sources apart for client reuse without holding the credentials themselves. */
  readonly fingerprint: string;
  get(): Promise<Credentials>;
}
