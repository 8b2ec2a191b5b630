/**
 * What each consumer test (tests/e2e/package-consumers/) needs: the package packed as built now, the basic example's
 * world in an emulator of the file's own, fresh projects outside the repository and throwaway stacks in them, all
 * removed after the file. The tests are files of their own so that jest runs them side by side: each spends most of
 * its time waiting for npm and the Pulumi CLI.
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { createConsumerProject, packPackage, type ConsumerProject } from "./consumer-project";
import { seedKey } from "./credentials";
import { exampleSeed, PULUMI_TEST_TIMEOUT_MS } from "./example-world";
import { membershipsOf } from "./memberships";
import { REPO_ROOT } from "./pulumi-cli";
import { startTestEmulator, type TestEmulator } from "./test-emulator";
import { ThrowawayStack } from "./throwaway-stack";

export const TYPE_TOKEN = "pulumi-nodejs:dynamic/alicloud-sg-membership:SecurityGroupMembership";
export const FIXTURE_0_1_0 = path.join(REPO_ROOT, "tests", "fixtures", "pulumi-alicloud-sg-membership-0.1.0.tgz");
export const seed = exampleSeed("basic");
export const key = seedKey(seed, "full");

/** The seed's memberships, and those after the README's program went up. */
export const initial = () => membershipsOf(seed);
export const joined = () => ({ ...initial(), "i-bp1web01": ["sg-bp1dbclients", "sg-bp1web"], "i-bp1app01": ["sg-bp1app", "sg-bp1dbclients"] });

export interface ConsumerWorld {
  /** A scratch directory of the file's, removed after it. */
  work: string;
  /** The package as packed now. */
  tarball: string;
  emulator: TestEmulator;
  project(settings: Parameters<typeof createConsumerProject>[0]): ConsumerProject;
  stackIn(dir: string, name: string): Promise<ThrowawayStack>;
  /** The README's two memberships: up joins both, destroy leaves both, and nothing else moves. Returns the resources up made. */
  upAndDestroy(stack: ThrowawayStack): Promise<unknown[]>;
}

export function useConsumerWorld(): () => ConsumerWorld {
  let world: ConsumerWorld | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    const work = mkdtempSync(path.join(tmpdir(), "sgm-consumers-"));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const tarball = packPackage(work);
    const emulator = await startTestEmulator(seed);
    cleanups.push(() => emulator.close());
    world = {
      work,
      tarball,
      emulator,
      project: (settings) => {
        const created = createConsumerProject(settings);
        cleanups.push(() => created.remove());
        return created;
      },
      stackIn: async (dir, name) => {
        const stack = await ThrowawayStack.create({ name: `${name}-${process.pid}`, projectDir: dir, endpoint: emulator.url, credentials: key });
        cleanups.push(() => stack.remove());
        return stack;
      },
      upAndDestroy: async (stack) => {
        await stack.up();
        expect(membershipsOf(await emulator.state())).toEqual(joined());
        const resources = (JSON.parse(await stack.exportState()).deployment.resources as { type: string }[]).filter((r) => r.type === TYPE_TOKEN);
        await stack.destroy();
        expect(membershipsOf(await emulator.state())).toEqual(initial());
        return resources;
      },
    };
  }, PULUMI_TEST_TIMEOUT_MS);
  // Removing a stack runs the CLI, and a project holds a node_modules: on a busy machine this outlasts jest's 60 s.
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, PULUMI_TEST_TIMEOUT_MS);
  return () => {
    if (!world) throw new Error("the consumer world did not start (see beforeAll's error)");
    return world;
  };
}
