import { OpenApiUtil } from "@alicloud/openapi-core";
import { signV1, stringToSignV1 } from "../../emulator/auth/signature-v1";
import { canonicalRequestAcs3, sha256Hex, signAcs3, stringToSignAcs3, parseAcs3Authorization } from "../../emulator/auth/acs3-hmac-sha256";
import { percentEncode } from "../../emulator/protocol/percent-encoding";

describe("signature 1.0", () => {
  it("reproduces the ECS documentation's test vector", () => {
    const params = new Map([
      ["AccessKeyId", "testid"],
      ["Action", "DescribeRegions"],
      ["Format", "XML"],
      ["SignatureMethod", "HMAC-SHA1"],
      ["SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"],
      ["SignatureVersion", "1.0"],
      ["Timestamp", "2016-02-23T12:46:24Z"],
      ["Version", "2014-05-26"],
    ]);
    const stringToSign = stringToSignV1("GET", params);
    expect(stringToSign).toBe(
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
    );
    expect(signV1(stringToSign, "testsecret")).toBe("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
  });

  it("leaves the Signature parameter itself out of the string to sign", () => {
    const without = stringToSignV1("POST", new Map([["Action", "X"]]));
    expect(
      stringToSignV1(
        "POST",
        new Map([
          ["Action", "X"],
          ["Signature", "abc"],
        ]),
      ),
    ).toBe(without);
  });

  it("percent-encodes as RFC 3986 does, including !'()* and space as %20", () => {
    expect(percentEncode("a b!'()*~-_.")).toBe("a%20b%21%27%28%29%2A~-_.");
  });
});

describe("ACS3-HMAC-SHA256", () => {
  it("signs exactly as @alicloud/openapi-core's getAuthorization does", () => {
    const headers = {
      host: "127.0.0.1:8080",
      "x-acs-action": "LeaveSecurityGroup",
      "x-acs-version": "2014-05-26",
      "x-acs-date": "2026-01-01T00:00:00Z",
      "x-acs-signature-nonce": "nonce-1",
      "x-acs-content-sha256": sha256Hex(""),
      "user-agent": "not signed",
    };
    const query = { InstanceId: "i-bp1abc", SecurityGroupId: "sg-bp1abc", RegionId: "cn-hangzhou" };
    const official = OpenApiUtil.getAuthorization(
      { method: "POST", pathname: "/", query, headers } as never,
      "ACS3-HMAC-SHA256",
      sha256Hex(""),
      "AKID",
      "secret",
    );
    const parsed = parseAcs3Authorization(official);
    expect(parsed).toBeDefined();
    const canonical = canonicalRequestAcs3({
      method: "POST",
      query: new Map(Object.entries(query)),
      headers,
      signedHeaders: parsed!.signedHeaders,
      payloadHash: sha256Hex(""),
    });
    expect(parsed!.accessKeyId).toBe("AKID");
    expect(parsed!.signedHeaders).not.toContain("user-agent");
    expect(signAcs3(stringToSignAcs3(canonical), "secret")).toBe(parsed!.signature);
    expect(signAcs3(stringToSignAcs3(canonical), "other")).not.toBe(parsed!.signature);
  });

  it("refuses Authorization headers of another shape", () => {
    expect(parseAcs3Authorization("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(parseAcs3Authorization("ACS3-HMAC-SHA256 Credential=AK,Signature=abc")).toBeUndefined();
  });
});
