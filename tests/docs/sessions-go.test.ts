/** The documentation's sessions in a Go program's project, which uses the generated Go SDK and the provider plugin. */
import { testSessionsOn } from "../../testing/doc-sessions";

testSessionsOn("go");
