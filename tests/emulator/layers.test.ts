import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The emulator's layers, as import rules (its folders are its layers). Each rule: the files under `from` may import,
 * within the emulator, only what is under one of `may`. Across all of them: outside models/, nothing imports a file of
 * models/ but models/index (the world's only door), and models/ imports nothing outside itself.
 */
const MODELS_INDEX = "emulator/models/index";
const RULES: { from: string; may: string[] }[] = [
  { from: "emulator/models/", may: ["emulator/models/"] },
  { from: "emulator/protocol/", may: ["emulator/protocol/", MODELS_INDEX] },
  { from: "emulator/auth/", may: ["emulator/auth/", "emulator/protocol/", MODELS_INDEX] },
  { from: "emulator/responses/", may: ["emulator/responses/", "emulator/protocol/", MODELS_INDEX] },
  { from: "emulator/faults/", may: ["emulator/faults/", "emulator/responses/", "emulator/protocol/", MODELS_INDEX] },
  { from: "emulator/persistence/", may: ["emulator/persistence/", "emulator/faults/", MODELS_INDEX] },
  {
    from: "emulator/admin/",
    may: ["emulator/admin/", "emulator/persistence/", "emulator/faults/", "emulator/responses/", "emulator/auth/", "emulator/stats", MODELS_INDEX],
  },
];

const REPO = path.join(__dirname, "..", "..", "..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every relative import of every emulator file, as repo paths without extension ("emulator/models/index"). */
function imports(): { file: string; target: string }[] {
  return sourceFiles(path.join(REPO, "emulator")).flatMap((full) => {
    const file = path.relative(REPO, full).split(path.sep).join("/");
    const text = fs.readFileSync(full, "utf8");
    return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((match) => {
      const resolved = path.relative(REPO, path.resolve(path.dirname(full), match[1]!)).split(path.sep).join("/");
      const target = fs.existsSync(path.join(REPO, `${resolved}.ts`)) ? resolved : `${resolved}/index`;
      return { file, target };
    });
  });
}

describe("the emulator's layers", () => {
  const all = imports();

  it("finds the imports it checks", () => {
    expect(all.length).toBeGreaterThan(100);
    expect(all).toContainEqual({ file: "emulator/auth/authenticate.ts", target: MODELS_INDEX });
  });

  it("keeps the world behind models/index", () => {
    const past = all.filter(({ file, target }) => !file.startsWith("emulator/models/") && target.startsWith("emulator/models/") && target !== MODELS_INDEX);
    expect(past).toEqual([]);
  });

  it.each(RULES)("lets $from import only its own layer and those below", ({ from, may }) => {
    const broken = all.filter(({ file, target }) => file.startsWith(from) && !may.some((allowed) => target.startsWith(allowed)));
    expect(broken).toEqual([]);
  });
});
