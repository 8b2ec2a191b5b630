// bench:languages's Go program: every instance of the config list instanceIds in every group of groupIds, as the
// examples' TypeScript fleet declares them.
package main

import (
	"github.com/alicloud-sg-membership/pulumi-alicloud-sg-membership/sdk/go/alicloudsgmembership"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		var instanceIDs, groupIDs []string
		cfg.RequireObject("instanceIds", &instanceIDs)
		cfg.RequireObject("groupIds", &groupIDs)
		for _, instanceID := range instanceIDs {
			for _, groupID := range groupIDs {
				_, err := alicloudsgmembership.NewSecurityGroupMembership(ctx, instanceID+"-in-"+groupID,
					&alicloudsgmembership.SecurityGroupMembershipArgs{
						InstanceId:      pulumi.String(instanceID),
						SecurityGroupId: pulumi.String(groupID),
					})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
}
