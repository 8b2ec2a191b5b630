/** The documentation's sessions in a Pulumi YAML project, which runs the package's provider plugin. */
import { testSessionsOn } from "../../testing/doc-sessions";

testSessionsOn("yaml");
