import * as fs from "node:fs";
import * as path from "node:path";
import { ECS_ERROR_CODES, EcsError, ecsErrors } from "../../emulator/errors";

const REPO = path.join(__dirname, "..", "..", "..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

describe("the error catalogue", () => {
  it("is the only place an EcsError is made", () => {
    const makers = sourceFiles(path.join(REPO, "emulator"))
      .filter((file) => fs.readFileSync(file, "utf8").includes("new EcsError("))
      .map((file) => path.relative(REPO, file));
    expect(makers).toEqual([path.join("emulator", "models", "ecsErrors.ts")]);
  });

  it("lists every code it can raise, once, sorted", () => {
    const raised = Object.values(ecsErrors).map((entry) => entry.code);
    expect(new Set(ECS_ERROR_CODES)).toEqual(new Set(raised));
    expect([...ECS_ERROR_CODES].sort()).toEqual(ECS_ERROR_CODES);
    expect(new Set(ECS_ERROR_CODES).size).toBe(ECS_ERROR_CODES.length);
    expect(ECS_ERROR_CODES).toEqual(expect.arrayContaining(["InstanceLastSecurityGroup", "RequestTimeout", "Throttling.User", "SignatureNonceUsed"]));
  });

  it("holds every code the world's documentation lists", () => {
    const doc = fs.readFileSync(path.join(REPO, "docs", "emulator-world.md"), "utf8");
    const table = doc.slice(doc.indexOf("## Error codes the world raises"), doc.indexOf("## Changing the world"));
    const documented = [...table.matchAll(/^\| \d{3} \| `([^`]+)` \|/gm)].map((match) => match[1]);
    expect(documented.length).toBeGreaterThan(20);
    expect(ECS_ERROR_CODES).toEqual(expect.arrayContaining(documented));
  });

  it("raises each error with its code and status", () => {
    const error = ecsErrors.duplicateParameter("InstanceId");
    expect(error).toBeInstanceOf(EcsError);
    expect(error).toMatchObject({ code: ecsErrors.duplicateParameter.code, httpStatus: ecsErrors.duplicateParameter.httpStatus });
    expect(error.message).toBe('The parameter "InstanceId" is specified more than once.');
  });
});
