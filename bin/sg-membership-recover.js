#!/usr/bin/env node
require("./built.js").launch("sg-membership-recover", "dist/provider/recovery/recover-cli.js");
