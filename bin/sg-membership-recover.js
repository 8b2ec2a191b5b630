#!/usr/bin/env node
require("./built.js").launch("sg-membership-recover", "dist/provider/recover-cli.js");
