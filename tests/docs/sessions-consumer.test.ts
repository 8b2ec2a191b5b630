/** The documentation's sessions in a Pulumi project of the reader's own, with a fresh emulator as the cloud. */
import { testSessionsOn } from "../../testing/doc-sessions";

testSessionsOn("consumer");
