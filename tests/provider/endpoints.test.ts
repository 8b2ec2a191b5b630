/**
 * Endpoints that are wrong, or not ECS at all, against real sockets on loopback: what waiting cannot fix fails after a
 * few quick attempts (counted, whatever operationTimeoutSeconds says), naming the endpoint, where it came from, the
 * cause in words and what to check; what waiting may fix is retried until the deadline. Whatever the endpoint echoes
 * back, no error carries a credential, signature, nonce or signed URL.
 */
import type { SecurityGroupMembershipProvider } from "../../provider";
import { SERIALIZED_PROVIDER } from "../../provider/pulumi/serialized-provider";
import {
  closedPortUrl,
  echoingServer,
  otherHostTlsServer,
  resettingServer,
  TEST_CA_PEM,
  webServer,
  type ForeignServer,
} from "../../testing/foreign-servers";
import { IDS, KEYS, REGION } from "../../testing/default-world";
import { startFakeEngine, startPlugin } from "./plugin-harness";
import { ALL_SECRETS, configuredProvider, expectNoSecrets, failureOf, stackConfig } from "./support";

const servers: ForeignServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function serve(started: Promise<ForeignServer>): Promise<ForeignServer> {
  const server = await started;
  servers.push(server);
  return server;
}

/** A create of one membership, with the endpoint in the stack config, and a deadline far beyond the brief attempts. */
async function createAgainst(url: string, operationTimeoutSeconds = 600): Promise<Error> {
  const provider: SecurityGroupMembershipProvider = await configuredProvider(stackConfig(url));
  return failureOf(provider.create({ instanceId: IDS.running, securityGroupId: IDS.sgOps, regionId: REGION, operationTimeoutSeconds }));
}

const ATTEMPTS = /Still failing after (\d+) attempts over (\d+\.\d)s/;

describe("what waiting cannot fix ends after three quick attempts, however long the deadline", () => {
  test("a closed port: connection refused, the endpoint, where it came from, and what to check", async () => {
    const url = await closedPortUrl();
    const err = await createAgainst(url);
    expect(err.message).toMatch(
      new RegExp(
        `^JoinSecurityGroup for instance i-bp1running and security group sg-bp1ops failed: Transport\\.ConnectionRefused: connection refused: nothing is listening there, at ${url} \\(from the stack config alicloud-sg-membership:ecsEndpoint\\)\\. ` +
          "Still failing after 3 attempts over \\d+\\.\\ds \\(operationTimeoutSeconds: 600\\)\\. Nothing accepts connections there \\(a wrong host or port, or the server is not running\\): check the endpoint, set by the stack config alicloud-sg-membership:ecsEndpoint\\.$",
      ),
    );
    expect((err as { code?: string }).code).toBe("Transport.ConnectionRefused");
  });

  test.each([
    [
      "a web server's 200 page",
      () => webServer(200),
      /Transport\.NotEcs: an answer that is not from ECS's API \(HTTP 200 text\/html: the body is not JSON\)/,
    ],
    [
      "a web server's 404 page",
      () => webServer(404),
      /Transport\.NotEcs: an answer that is not from ECS's API \(HTTP 404 text\/html: the body is not JSON\)/,
    ],
    [
      "another API's JSON",
      () => webServer(200, "application/json", '{"status":"ok"}'),
      /Transport\.NotEcs: .*\(HTTP 200 application\/json: the body has no RequestId\)/,
    ],
  ])("%s: three requests, then Transport.NotEcs", async (_what, start, expected) => {
    const server = await serve(start());
    const err = await createAgainst(server.url);
    expect(err.message).toMatch(expected);
    expect(err.message).toMatch(/Something answers there, but not ECS's API: check the endpoint/);
    expect(server.hits()).toBe(3);
  });

  test("the endpoint from the environment is named as such", async () => {
    const url = await closedPortUrl();
    const provider = await configuredProvider({
      "alicloud:accessKey": KEYS.full.accessKeyId,
      "alicloud:secretKey": KEYS.full.accessKeySecret,
      "alicloud:region": REGION,
    });
    process.env.ALIBABA_CLOUD_ECS_ENDPOINT = url;
    try {
      const err = await failureOf(provider.create({ instanceId: IDS.running, securityGroupId: IDS.sgOps, regionId: REGION }));
      expect(err.message).toMatch(/at http:\/\/127\.0\.0\.1:\d+ \(from the environment variable ALIBABA_CLOUD_ECS_ENDPOINT\)/);
    } finally {
      delete process.env.ALIBABA_CLOUD_ECS_ENDPOINT;
    }
  });

  test("one run, one diagnosis: many resources failing the same way get the full story once", async () => {
    const url = await closedPortUrl();
    const provider = await configuredProvider(stackConfig(url));
    const groups = [IDS.sgOps, IDS.sgDb, IDS.sgWeb, IDS.sgOtherVpc];
    const errors = await Promise.all(
      groups.map((securityGroupId) => failureOf(provider.create({ instanceId: IDS.stopped, securityGroupId, regionId: REGION }))),
    );
    const full = errors.filter((e) => /connection refused: nothing is listening there/.test(e.message));
    const brief = errors.filter((e) =>
      /Transport\.ConnectionRefused at http:\/\/127\.0\.0\.1:\d+ \(from the stack config alicloud-sg-membership:ecsEndpoint\), as explained in full for the first resource of this run that met it\.$/.test(
        e.message,
      ),
    );
    expect([full.length, brief.length]).toEqual([1, groups.length - 1]);
  });

  test("a certificate for another host name, through the plugin that trusts its CA", async () => {
    const server = await serve(otherHostTlsServer());
    const engine = await startFakeEngine();
    const plugin = await startPlugin(engine, { NODE_EXTRA_CA_CERTS: TEST_CA_PEM }, "urn:pulumi:test::tls::x::y");
    try {
      await plugin.configure(stackConfig(server.url));
      const props = { __provider: SERIALIZED_PROVIDER, instanceId: IDS.running, securityGroupId: IDS.sgOps, regionId: REGION };
      const err = await plugin.create(props).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(
        /Transport\.TlsError: TLS certificate for another host, at https:\/\/127\.0\.0\.1:\d+ .*Still failing after 3 attempts.*does not fit its name, or is not trusted/,
      );
    } finally {
      await plugin.close();
      await engine.close();
    }
  });
});

describe("what waiting may fix is retried until the deadline", () => {
  test.each([
    [
      "a proxy's 502 page",
      () => webServer(502, "text/html", "<html><center><h1>502 Bad Gateway</h1></center></html>"),
      /Transport\.ProxyError: a gateway error page instead of ECS's answer \(HTTP 502 text\/html/,
    ],
    [
      "a server that resets every connection",
      () => resettingServer(),
      /Transport\.ConnectionDropped: the connection was dropped before an answer came/,
    ],
  ])("%s", async (_what, start, expected) => {
    const server = await serve(start());
    const err = await createAgainst(server.url, 1);
    expect(err.message).toMatch(expected);
    const [, attempts] = ATTEMPTS.exec(err.message) ?? [];
    expect(Number(attempts)).toBeGreaterThan(3);
    // The count is of the call that failed: a Join with no clear answer, then the look at whether it took effect.
    const [, action] = /(\w+) for instance \S+ and security group \S+ failed: /.exec(err.message) ?? [];
    expect(err.message).toMatch(
      /^JoinSecurityGroup for instance i-bp1running got no clear answer, and the look at whether it took effect failed: DescribeInstances /,
    );
    expect(server.requests().filter((raw) => raw.includes(`Action=${action}`))).toHaveLength(Number(attempts));
  });
});

describe("an endpoint that echoes the request back", () => {
  test.each(["Code", "Message", "RequestId", "HostId", "html"] as const)(
    "into %s: no credential, signature, nonce or signed URL reaches the error",
    async (where) => {
      const server = await serve(echoingServer(where));
      const err = await createAgainst(server.url);
      const sent = server.requests().join("\n");
      const signed = ["Signature", "SignatureNonce"].flatMap((name) =>
        [...sent.matchAll(new RegExp(`[?&]${name}=([^&\\s]+)`, "g"))].map((m) => decodeURIComponent(m[1]!)),
      );
      expect(signed.length).toBeGreaterThan(0);
      const everything = `${err.message}\n${JSON.stringify(err)}\n${String(err)}`;
      for (const value of [...signed, ...ALL_SECRETS]) expect(everything).not.toContain(value);
      expectNoSecrets(everything);
    },
  );
});
