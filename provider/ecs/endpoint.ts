/** An ECS endpoint, and where it came from (for messages). */
export interface Endpoint {
  url: string;
  source: string;
}
