// Lint rules that hold the codebase's shape: typescript-eslint's recommended rules, no import cycles, provider/ and
// emulator/ sharing nothing but the API contract, and the emulator's folders as layers (docs/emulator.md). Style is
// prettier's (eslint-config-prettier turns off the rules it owns).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/** Emulator folders and what each may import besides itself (and the world's one door, models/index). */
const EMULATOR_LAYERS = {
  protocol: [],
  auth: ["protocol"],
  responses: ["protocol"],
  faults: ["responses", "protocol"],
  persistence: ["faults"],
  admin: ["persistence", "faults", "responses", "auth", "stats.ts"],
  console: ["admin", "faults", "responses", "protocol", "auth"],
};

/**
 * Provider folders, top to bottom: the faces (pulumi/, plugin/, recovery/) over the membership rules, over the call policies,
 * over the ECS wire. Each may import only the layers below it.
 */
const PROVIDER_LAYERS = {
  ecs: [],
  calls: ["ecs"],
  membership: ["calls", "ecs"],
  pulumi: ["membership", "calls", "ecs"],
  plugin: ["membership", "calls", "ecs"],
  recovery: ["pulumi", "plugin", "membership", "calls", "ecs"],
};

const providerZones = Object.entries(PROVIDER_LAYERS).map(([layer, below]) => ({
  target: `./provider/${layer}`,
  from: "./provider",
  except: [`./${layer}`, ...below.map((other) => `./${other}`)],
  message: `provider/${layer}/ may import only ${below.length > 0 ? below.join(", ") : "nothing else of provider/"} besides itself`,
}));

const layerZones = Object.entries(EMULATOR_LAYERS).map(([layer, below]) => ({
  target: `./emulator/${layer}`,
  from: "./emulator",
  except: [`./${layer}`, "./models/index.ts", ...below.map((other) => `./${other}`)],
  message: `emulator/${layer}/ may import only ${[...below, "models/index"].join(", ")} besides itself`,
}));

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "examples/bin/",
      "node_modules/",
      ".tools/",
      ".pulumi-state/",
      "scripts/pulumi-tools/",
      "scripts/pulumi-language-nodejs-tools/",
      "scripts/pulumi-language-yaml-tools/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".json"] })],
      // Follow imports into TypeScript files too, or cycles through them go unseen.
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Not into node_modules: no cycle through a package can include our files, and following @pulumi/pulumi's and
      // the Alibaba clients' trees was 3/4 of the lint's CPU time (npm test starts with it).
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            { target: "./provider", from: "./emulator", message: "provider/ knows nothing of the emulator: they share only the API contract" },
            { target: "./emulator", from: "./provider", message: "the emulator knows nothing of the provider (nor of Pulumi)" },
            {
              target: "./emulator/models",
              from: "./emulator",
              except: ["./models"],
              message: "models/ (the world and its rules) imports nothing outside itself",
            },
            {
              target: "./emulator/!(models)/**",
              from: "./emulator/models",
              except: ["./index.ts"],
              message: "outside models/, the world is reached only through models/index",
            },
            ...layerZones,
            ...providerZones,
          ],
        },
      ],
    },
  },
  {
    files: ["emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@pulumi/*"], message: "the emulator knows nothing of Pulumi" }] }],
    },
  },
  {
    files: ["provider/{ecs,calls,membership}/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@pulumi/*"], message: "below the faces, the provider knows nothing of Pulumi: pulumi/ and the plugin translate" }] },
      ],
    },
  },
  {
    files: ["**/*.mjs", "**/*.cjs", "**/*.js"],
    languageOptions: { globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly", __dirname: "readonly" } },
  },
  {
    // Without "type": "module" in package.json, Node loads .js files as CommonJS: require() is how they import.
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
