//go:build tools

// Builds the YAML language host (scripts/install-pulumi), so the CLI can run Pulumi YAML programs such as
// examples/yaml. Its own module, so its dependencies never meet the CLI's.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
