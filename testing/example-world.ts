/**
 * One example's world in an emulator of its own, and throwaway stacks of the real Pulumi CLI against it.
 * Each e2e test file uses its own emulator and backend, so files can run in parallel.
 */
import { readFileSync } from "fs";
import * as path from "path";
import type { Seed } from "../emulator";
import { locatePulumi, locateYamlLanguageHost, REPO_ROOT } from "./pulumi-cli";
import { seedKey, type Credentials, type KeyKind } from "./credentials";
import { ThrowawayStack, type StackSettings } from "./throwaway-stack";
import { membershipsOf, type Memberships } from "./memberships";
import { popClient, startTestEmulator, type Stats, type TestEmulator } from "./test-emulator";

export type Example = "basic" | "fleet" | "eni" | "adopt";

/** The basic example in Pulumi YAML, through the provider plugin. */
export const YAML_EXAMPLE_DIR = path.join(REPO_ROOT, "examples", "yaml");
/** The basic example in Go, through the generated Go SDK (sdk/go) and the provider plugin. */
export const GO_EXAMPLE_DIR = path.join(REPO_ROOT, "examples", "go");

/** Long enough for a few pulumi runs on a loaded 2-core machine; each run takes seconds. */
export const PULUMI_TEST_TIMEOUT_MS = 240_000;

export function exampleSeed(example: Example): Seed {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, "examples", example, "seed.json"), "utf8")) as Seed;
}

export class ExampleWorld {
  private readonly stacks: ThrowawayStack[] = [];

  private constructor(
    readonly example: Example,
    readonly seed: Seed,
    readonly emulator: TestEmulator,
  ) {}

  /** Fails (never skips) when there is no Pulumi CLI, with the way to get one. */
  static async start(example: Example): Promise<ExampleWorld> {
    locatePulumi();
    const seed = exampleSeed(example);
    return new ExampleWorld(example, seed, await startTestEmulator(seed));
  }

  key(kind: KeyKind): Credentials {
    return seedKey(this.seed, kind);
  }

  /**
   * A throwaway stack of the examples' project, or with `face: "plugin"` of examples/yaml, which runs the basic example's
   * program in Pulumi YAML through the provider plugin (its config keys are the plugin's own), or of another project of
   * the plugin's (`projectDir`, such as examples/go's).
   */
  async stack(
    name: string,
    options: {
      key?: KeyKind;
      config?: Record<string, string>;
      face?: "dynamic" | "plugin";
      projectDir?: string;
      env?: Record<string, string>;
    } = {},
  ): Promise<ThrowawayStack> {
    const plugin = options.face === "plugin";
    if (plugin && !options.projectDir) locateYamlLanguageHost();
    const pluginProject = { projectDir: options.projectDir ?? YAML_EXAMPLE_DIR, configNamespace: "alicloud-sg-membership" };
    const settings: StackSettings = {
      name: `e2e-${name}-${process.pid}`,
      ...(plugin ? pluginProject : { example: this.example }),
      endpoint: this.emulator.url,
      credentials: this.key(options.key ?? "full"),
      config: options.config,
      env: options.env,
    };
    const stack = await ThrowawayStack.create(settings);
    this.stacks.push(stack);
    return stack;
  }

  async memberships(): Promise<Memberships> {
    return membershipsOf(await this.emulator.state());
  }

  /** The emulator's request count of one action so far. */
  async count(action: string): Promise<number> {
    const stats: Stats = await this.emulator.stats();
    return stats.actions[action] ?? 0;
  }

  /** An out-of-band change through the ECS API, as another tool or a person at the console would make it. */
  async ecs(action: string, params: Record<string, string>): Promise<void> {
    await popClient(this.emulator.url, this.key("full")).request(action, { RegionId: "cn-hangzhou", ...params }, { method: "POST" });
  }

  async close(): Promise<void> {
    try {
      for (const stack of this.stacks) stack.remove();
    } finally {
      await this.emulator.close();
    }
  }
}

/** Every text a user could see or store, checked for each part of the credentials. */
export function credentialLeaks(texts: string[], credentials: Credentials): string[] {
  const parts = Object.entries(credentials).filter((entry): entry is [string, string] => typeof entry[1] === "string");
  return parts.filter(([, value]) => texts.some((text) => text.includes(value))).map(([name]) => name);
}

export function transcriptTexts(stack: ThrowawayStack): string[] {
  return stack.transcript.flatMap((result) => [result.command, result.stdout, result.stderr]);
}

/** Starts the example's world before the file's tests and closes it, with its stacks, after them. */
export function useExampleWorld(example: Example): () => ExampleWorld {
  let world: ExampleWorld | undefined;
  beforeAll(async () => {
    world = await ExampleWorld.start(example);
  });
  afterAll(async () => {
    await world?.close();
  });
  return () => {
    if (!world) throw new Error(`the ${example} world did not start (see beforeAll's error)`);
    return world;
  };
}
