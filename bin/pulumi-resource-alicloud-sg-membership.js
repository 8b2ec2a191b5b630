#!/usr/bin/env node
// The provider plugin for Pulumi YAML and every other language: the engine starts it by this name (on PATH, or from
// a Pulumi.yaml `plugins: providers:` path) and reads the port it serves on from stdout.
require("./built.js").launch("pulumi-resource-alicloud-sg-membership", "dist/provider/plugin/run.js");
