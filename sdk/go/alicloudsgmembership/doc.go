// One ECS instance's or elastic network interface's membership of one security group.
package alicloudsgmembership
