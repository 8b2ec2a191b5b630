/**
 * What each SecurityGroupMembership stores as `__provider` in place of serialized code: a few hundred bytes that load
 * the installed package by name from the project's node_modules and hand the plugin its stable entry point. The
 * provider's code is never copied into the state, so the state stays small, plain JavaScript projects (whose Pulumi
 * SDK cannot parse modern class syntax) work, and an upgraded package runs against every older state.
 */
export const PACKAGE_NAME = "pulumi-alicloud-sg-membership";
export const DYNAMIC_PROVIDER_ENTRY = `${PACKAGE_NAME}/dynamic-provider`;

export const SERIALIZED_PROVIDER = `exports.handler = function () {
  try {
    return require("${DYNAMIC_PROVIDER_ENTRY}").v1;
  } catch (e) {
    if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).includes("${PACKAGE_NAME}")) {
      throw new Error("SecurityGroupMembership needs the npm package ${PACKAGE_NAME} in this Pulumi project: npm install ${PACKAGE_NAME}");
    }
    throw e;
  }
};
`;
