#!/usr/bin/env node
require("./built.js").launch("ecs-emulator", "dist/emulator/cli.js");
