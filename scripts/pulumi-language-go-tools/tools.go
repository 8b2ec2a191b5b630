//go:build tools

// Builds the Go language host (scripts/install-pulumi), so the CLI can run Go programs such as examples/go.
// Its standalone module (github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3) is not served by the module proxy
// here, so we take a release that still shipped it inside the sdk module: sdk/v3 v3.50.0.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go"
