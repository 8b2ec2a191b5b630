// Pulumi.yaml's main: committed so that, before `npm run build` compiled the program into bin/, Pulumi reports one line
// saying to build instead of failing to stat bin/index.js. Pulumi prints a RunError's message without a stack trace.
const path = require("path");
const { RunError } = require("@pulumi/pulumi");
const { notBuiltMessage } = require("../bin/built.js");

const program = path.join(__dirname, "bin", "index.js");
const notBuilt = notBuiltMessage("sg-membership-examples", program);
if (notBuilt !== undefined) throw new RunError(notBuilt);
module.exports = require(program);
