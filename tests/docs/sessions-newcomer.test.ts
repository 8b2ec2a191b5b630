/** The documentation's sessions in a newcomer's project, who starts the package's emulator on port 8787 as told. */
import { testSessionsOn } from "../../testing/doc-sessions";

testSessionsOn("newcomer");
