import { ecsErrors } from "../models";
import { percentDecode } from "./percent-encoding";

/** Parses `a=1&b=2` (query string or form body). A parameter given twice is refused: ECS would take one silently
 *  and a signature computed over the other would not match, so the request is ambiguous. */
export function parseFormEncoded(text: string, into: Map<string, string> = new Map()): Map<string, string> {
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = percentDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : percentDecode(pair.slice(eq + 1));
    if (name === "") throw ecsErrors.emptyParameterName();
    if (into.has(name)) throw ecsErrors.duplicateParameter(name);
    into.set(name, value);
  }
  return into;
}
