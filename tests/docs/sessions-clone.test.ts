/**
 * The documentation's sessions on a clone of this repository (README.md's emulator section, docs/emulator.md,
 * examples/README.md), each in a network namespace of its own, so they run at once, each with its own port 8787.
 */
import { testSessionsOn } from "../../testing/doc-sessions";

testSessionsOn("clone", { concurrent: true });
