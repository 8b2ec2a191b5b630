import type { ActionResult, Params } from "./contract";
import { ecsErrors } from "./ecsErrors";
import { integerParam, optionalParam } from "./request-params";

const DEFAULT_PAGE_SIZE = 10;
const TOKEN_PREFIX = "emu-offset-";

/**
 * ECS's two paging styles. NextToken/MaxResults when either is given (NextToken is "" on the last page),
 * else PageNumber/PageSize. Items come in the world's stable order, so pages never overlap.
 */
export function paginate<T>(items: readonly T[], params: Params, maxPageSize: number): { page: T[]; fields: ActionResult } {
  const token = optionalParam(params, "NextToken");
  if (token !== undefined || optionalParam(params, "MaxResults") !== undefined) {
    const size = integerParam(params, "MaxResults", { min: 1, max: maxPageSize, fallback: DEFAULT_PAGE_SIZE });
    const start = token === undefined ? 0 : offsetOf(token);
    const end = start + size;
    const next = end < items.length ? `${TOKEN_PREFIX}${end}` : "";
    return { page: items.slice(start, end), fields: { TotalCount: items.length, MaxResults: size, NextToken: next } };
  }
  const number = integerParam(params, "PageNumber", { min: 1, max: Number.MAX_SAFE_INTEGER, fallback: 1 });
  const size = integerParam(params, "PageSize", { min: 1, max: maxPageSize, fallback: DEFAULT_PAGE_SIZE });
  const start = (number - 1) * size;
  return { page: items.slice(start, start + size), fields: { TotalCount: items.length, PageNumber: number, PageSize: size } };
}

function offsetOf(token: string): number {
  const digits = token.startsWith(TOKEN_PREFIX) ? token.slice(TOKEN_PREFIX.length) : "";
  if (!/^\d+$/.test(digits)) throw ecsErrors.invalidParameter("NextToken");
  return Number(digits);
}
