import fc from "fast-check";
import { parseRequest, type RawRequest } from "../../emulator/protocol/request-parser";
import { percentEncode } from "../../emulator/protocol/percent-encoding";
import { EcsError } from "../../emulator/models";

const form = { "content-type": "application/x-www-form-urlencoded" };

function outcome(raw: RawRequest): "parsed" | EcsError {
  try {
    parseRequest(raw);
    return "parsed";
  } catch (error) {
    if (error instanceof EcsError) return error;
    throw error;
  }
}

const isTyped4xx = (result: "parsed" | EcsError) =>
  result === "parsed" || (result.httpStatus >= 400 && result.httpStatus < 500 && result.code !== "" && result.message !== "");

/** Parameter names as clients send them, plus anything unicode; values anything (lone surrogates cannot be UTF-8). */
const paramName = fc.oneof(fc.constantFrom("Action", "InstanceId", "SecurityGroupIds.1"), fc.string({ unit: "grapheme", minLength: 1 }));
const paramValue = fc.string({ unit: "grapheme" });
const params = fc.uniqueArray(fc.tuple(paramName, paramValue), { selector: ([name]) => name, maxLength: 12 });
const encode = (pairs: [string, string][]) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&");

describe("request parser (property-based)", () => {
  it("never throws anything but a typed 4xx EcsError, whatever the URL, method, headers and body", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", undefined),
        fc.string(),
        fc.dictionary(fc.string({ minLength: 1 }), fc.string()),
        fc.uint8Array({ maxLength: 200 }),
        (method, url, headers, body) => isTyped4xx(outcome({ method, url, headers, body: Buffer.from(body) })),
      ),
      { numRuns: 2000 },
    );
  });

  it("never throws anything but a typed 4xx EcsError on query strings built from percent signs and separators", () => {
    const chunk = fc.constantFrom("%", "%2", "%ZZ", "%C3", "%C3%A9", "%E2%82", "%F0%9F%98%80", "&", "=", "+", "a", "Action", "é");
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 20 }), (chunks) =>
        isTyped4xx(outcome({ method: "POST", url: `/?${chunks.join("")}`, headers: form, body: Buffer.from(chunks.join("")) })),
      ),
      { numRuns: 2000 },
    );
  });

  it("round-trips percent-encoded parameters in a query string and in a form body", () => {
    fc.assert(
      fc.property(params, params, (queryPairs, bodyPairs) => {
        const bodyOnly = bodyPairs.filter(([name]) => !queryPairs.some(([q]) => q === name));
        const parsed = parseRequest({ method: "POST", url: `/?${encode(queryPairs)}`, headers: form, body: Buffer.from(encode(bodyOnly)) });
        expect(Object.fromEntries(parsed.query)).toEqual(Object.fromEntries(queryPairs));
        expect(Object.fromEntries(parsed.params)).toEqual(Object.fromEntries([...queryPairs, ...bodyOnly]));
      }),
      { numRuns: 500 },
    );
  });

  it("decodes + as a space, as HTML forms send it", () => {
    expect(parseRequest({ method: "GET", url: "/?Name=a+b%2Bc", headers: {}, body: Buffer.alloc(0) }).params.get("Name")).toBe("a b+c");
  });

  it.each([
    ["a malformed percent-encoding", "GET", "/?Action=%ZZ", {}, "", 400, "malformed percent-encoding"],
    ["an encoding that is not UTF-8", "GET", "/?Action=%C3", {}, "", 400, "malformed percent-encoding"],
    ["a duplicate parameter", "GET", "/?Action=A&Action=B", {}, "", 400, '"Action" is specified more than once'],
    ["a parameter both in query and body", "POST", "/?Action=A", form, "Action=B", 400, "more than once"],
    ["a parameter without a name", "GET", "/?=x", {}, "", 400, "empty name"],
    ["another HTTP method", "PUT", "/?Action=A", {}, "", 405, "PUT is not supported"],
    ["another path", "GET", "/v2/?Action=A", {}, "", 404, "Specified api is not found"],
    ["a JSON body", "POST", "/", { "content-type": "application/json" }, "{}", 415, "not supported"],
    ["a body that is not UTF-8", "POST", "/", form, "\u0000", 400, "not valid UTF-8"],
  ])("refuses %s", (_what, method, url, headers, body, status, message) => {
    const raw = { method, url, headers, body: body === "\u0000" ? Buffer.from([0xff, 0xfe]) : Buffer.from(body) };
    const result = outcome(raw);
    expect(result).toBeInstanceOf(EcsError);
    expect((result as EcsError).httpStatus).toBe(status);
    expect((result as EcsError).message).toContain(message);
  });
});
