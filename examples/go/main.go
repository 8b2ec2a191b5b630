// The basic example (examples/basic) in Go: two instances (seed.json: web-01 Running, app-01 Stopped) each join one
// extra group, db-clients unless configured.
package main

import (
	"time"

	"github.com/alicloud-sg-membership/pulumi-alicloud-sg-membership/sdk/go/alicloudsgmembership"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		securityGroupID := orDefault(cfg.Get("extraGroupId"), "sg-bp1dbclients")
		instances := []struct{ role, id string }{
			{"web", orDefault(cfg.Get("webInstanceId"), "i-bp1web01")},
			{"app", orDefault(cfg.Get("appInstanceId"), "i-bp1app01")},
		}
		for _, instance := range instances {
			membership, err := alicloudsgmembership.NewSecurityGroupMembership(ctx, instance.role+"-extra-group",
				&alicloudsgmembership.SecurityGroupMembershipArgs{
					InstanceId:      pulumi.String(instance.id),
					SecurityGroupId: pulumi.String(securityGroupID),
				},
				// Each bounds that operation, waits and retries included, instead of operationTimeoutSeconds.
				pulumi.Timeouts(&pulumi.CustomTimeouts{Create: (5 * time.Minute).String(), Delete: (5 * time.Minute).String()}))
			if err != nil {
				return err
			}
			ctx.Export(instance.role+"Groups", membership.SecurityGroupIds)
		}
		return nil
	})
}

func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}
