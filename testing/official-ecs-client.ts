/**
 * The official Tea SDK client against the emulator. A module of its own because loading @alicloud/ecs20140526 (3,000
 * model files) costs each jest test file about 2 s of CPU, and only the emulator's protocol tests use it.
 */
import Ecs from "@alicloud/ecs20140526";
import { Config } from "@alicloud/openapi-client";
import type { Credentials } from "./credentials";
import { KEYS, REGION } from "./default-world";

/** The official Tea SDK client, with its default ACS3-HMAC-SHA256 signature and no retries of its own. */
export function officialEcsClient(url: string, key: Credentials = KEYS.full): Ecs {
  return new Ecs(
    new Config({
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      securityToken: key.securityToken,
      endpoint: new URL(url).host,
      protocol: "http",
      regionId: REGION,
    }) as never,
  );
}
