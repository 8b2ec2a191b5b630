/**
 * The ResourceProvider service of the plugin: a thin adapter over the one lifecycle (membership/lifecycle.ts), as
 * pulumi/provider.ts is for the dynamic resource. It translates the protocol's Structs, URNs, timeouts and errors;
 * every rule of a membership lives below it.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { OutcomeUnknownError, UnconfirmedWriteError } from "../membership/errors";
import { type MembershipInputs, type MembershipOutputs, UNKNOWN_VALUE } from "../membership/inputs";
import { type LifecycleOptions, MembershipLifecycle, SETTING_KEYS } from "../membership/lifecycle";
import { type ConfigSource, type ProviderSettings, resolveSettings } from "../membership/settings";
import { configFailures, configSource, configValues, PLUGIN_CONFIG_KEYS } from "./config";
import type { EngineLog } from "./engine-log";
import { failureOf, initFailure, RequestError } from "./errors";
import { type Bag, bagOf, stateOf, structOf, withUrn } from "./properties";
import { importedProperties, requireOwnType } from "./resource-requests";
import { packageVersion, schema } from "./schema";
import type { Work } from "./work";

const Kind = provproto.PropertyDiff.Kind;
const PROPERTIES = new Set(["instanceId", "networkInterfaceId", "securityGroupId", "regionId", "adoptExisting", "operationTimeoutSeconds"]);

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/** Answers a unary call with `handle`'s result or its error as the engine reads errors. */
function unary<Req, Res>(handle: (request: Req) => Promise<Res> | Res): Unary<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handle(call.request))
      .then(
        (response) => callback(null, response),
        (err: unknown) => {
          const failure = err instanceof InitFailed ? err.failure : failureOf(err);
          callback({ code: failure.code, details: failure.details, metadata: failure.metadata } as grpc.ServiceError, null);
        },
      );
  };
}

class InitFailed extends Error {
  constructor(readonly failure: ReturnType<typeof initFailure>) {
    super(failure.details);
  }
}

/** customTimeouts arrive in seconds, 0 when the program set none. */
function timeoutOf(request: { getTimeout(): number }): { timeoutMs?: number } {
  const seconds = request.getTimeout();
  return seconds > 0 ? { timeoutMs: seconds * 1000 } : {};
}

/** Settings a preview does not know yet: left out of check and diff's comparison, and shown as updates. */
function unknownSettings(news: Bag): string[] {
  return SETTING_KEYS.filter((key) => news[key] === UNKNOWN_VALUE);
}

function without(bag: Bag, keys: readonly string[]): Bag {
  return Object.fromEntries(Object.entries(bag).filter(([key]) => !keys.includes(key)));
}

function propertyDiff(kind: provproto.PropertyDiff.Kind): provproto.PropertyDiff {
  const diff = new provproto.PropertyDiff();
  diff.setKind(kind);
  diff.setInputdiff(true);
  return diff;
}

export class MembershipService {
  private config: ConfigSource | undefined;
  private settings: ProviderSettings | undefined;
  private readonly lifecycle: MembershipLifecycle;
  private readonly version = packageVersion();

  constructor(
    private readonly log: EngineLog,
    private readonly work: Work,
    options: LifecycleOptions = {},
  ) {
    this.lifecycle = new MembershipLifecycle(() => this.currentSettings(), options);
  }

  /** The handlers grpc-js serves; methods left out (Invoke, Construct, ...) answer UNIMPLEMENTED. */
  handlers(): grpc.UntypedServiceImplementation {
    return {
      handshake: unary((req: provproto.ProviderHandshakeRequest) => {
        this.log.connect(req.getEngineAddress());
        const res = new provproto.ProviderHandshakeResponse();
        res.setAcceptSecrets(false);
        res.setAcceptResources(false);
        res.setAcceptOutputs(false);
        return res;
      }),
      attach: unary((req: plugproto.PluginAttach) => {
        this.log.connect(req.getAddress());
        return new Empty();
      }),
      getPluginInfo: unary(() => new plugproto.PluginInfo().setVersion(this.version)),
      getSchema: unary((req: provproto.GetSchemaRequest) => {
        if (req.getVersion() !== 0) throw new RequestError(`unsupported schema version ${req.getVersion()}`);
        return new provproto.GetSchemaResponse().setSchema(schema(this.version));
      }),
      checkConfig: unary((req: provproto.CheckRequest) => {
        const news = bagOf(req.getNews());
        const res = new provproto.CheckResponse();
        res.setInputs(req.getNews());
        res.setFailuresList(configFailures(news).map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason)));
        return res;
      }),
      diffConfig: unary((req: provproto.DiffRequest) => {
        // A new region, endpoint or key pair applies to the next operation: the memberships themselves stay.
        const changed = JSON.stringify(bagOf(req.getOlds())) !== JSON.stringify(bagOf(req.getNews()));
        const res = new provproto.DiffResponse();
        res.setChanges(changed ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
        return res;
      }),
      configure: unary((req: provproto.ConfigureRequest) => {
        const values = configValues(req.getVariablesMap().toArray() as [string, string][], req.hasArgs() ? bagOf(req.getArgs()) : undefined);
        this.config = configSource(values);
        this.settings = undefined;
        // A half key pair is named now, before any resource needs it.
        this.currentSettings();
        const res = new provproto.ConfigureResponse();
        res.setAcceptsecrets(false);
        res.setSupportspreview(false);
        res.setAcceptresources(false);
        res.setAcceptoutputs(false);
        return res;
      }),
      check: unary((req: provproto.CheckRequest) => this.work.run("Check", () => this.check(req))),
      diff: unary((req: provproto.DiffRequest) => this.work.run("Diff", () => this.diff(req))),
      create: unary((req: provproto.CreateRequest) => this.work.run("Create", () => this.create(req))),
      read: unary((req: provproto.ReadRequest) => this.work.run("Read", () => this.read(req))),
      update: unary((req: provproto.UpdateRequest) => this.work.run("Update", () => this.update(req))),
      delete: unary((req: provproto.DeleteRequest) => this.work.run("Delete", () => this.delete(req))),
      cancel: unary(() => {
        this.work.stop("the engine cancelled this run");
        return new Empty();
      }),
    };
  }

  private currentSettings(): ProviderSettings {
    this.settings ??= resolveSettings(this.config, process.env, PLUGIN_CONFIG_KEYS);
    return this.settings;
  }

  private async check(req: provproto.CheckRequest): Promise<provproto.CheckResponse> {
    requireOwnType(req);
    const news = bagOf(req.getNews());
    const unknown = unknownSettings(news);
    const foreign = Object.keys(news)
      .filter((key) => !PROPERTIES.has(key) && !key.startsWith("__"))
      .map((key) => ({ property: key, reason: `not a property of SecurityGroupMembership: use ${[...PROPERTIES].join(", ")}` }));
    const outcome = await this.lifecycle.check(withUrn(without(news, unknown), req.getUrn()), foreign);
    const failures = [...outcome.failures, ...foreign];
    const inputs: Bag = { ...stateOf(outcome.inputs), ...Object.fromEntries(unknown.map((key) => [key, UNKNOWN_VALUE])) };
    const res = new provproto.CheckResponse();
    res.setInputs(structOf(inputs));
    res.setFailuresList(failures.map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason)));
    return res;
  }

  private async diff(req: provproto.DiffRequest): Promise<provproto.DiffResponse> {
    requireOwnType(req);
    const olds = bagOf(req.getOlds());
    const news = bagOf(req.getNews());
    const unknown = unknownSettings(news);
    // A setting not known yet is compared as unchanged and reported as an update: the lifecycle never sees the sentinel.
    const known = { ...news, ...Object.fromEntries(unknown.map((key) => [key, olds[key]])) };
    const outcome = await this.lifecycle.diff(
      withUrn(olds, req.getUrn()) as unknown as MembershipOutputs,
      withUrn(known, req.getUrn()) as unknown as MembershipInputs,
    );
    const detailed = new Map<string, provproto.PropertyDiff.Kind>();
    for (const key of outcome.replaces) detailed.set(key, Kind.UPDATE_REPLACE);
    for (const key of [...outcome.updates, ...unknown]) if (!detailed.has(key)) detailed.set(key, Kind.UPDATE);
    if (outcome.drifted) detailed.set("securityGroupIds", Kind.UPDATE);
    const res = new provproto.DiffResponse();
    const changes = outcome.changes || unknown.length > 0;
    res.setChanges(changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
    res.setReplacesList(outcome.replaces);
    res.setDiffsList([...detailed.keys()]);
    res.setHasdetaileddiff(true);
    for (const [key, kind] of detailed) res.getDetaileddiffMap().set(key, propertyDiff(kind));
    res.setDeletebeforereplace(false);
    return res;
  }

  private async create(req: provproto.CreateRequest): Promise<provproto.CreateResponse> {
    const options = timeoutOf(req);
    requireOwnType(req);
    const props = withUrn(bagOf(req.getProperties()), req.getUrn()) as unknown as MembershipInputs;
    // The engine asks for a preview's create even of a provider that says it supports none: nothing may reach ECS.
    if (req.getPreview()) return new provproto.CreateResponse().setId("").setProperties(structOf({ ...props, securityGroupIds: UNKNOWN_VALUE }));
    try {
      const { id, outs } = await this.lifecycle.create(props, options);
      return new provproto.CreateResponse().setId(id).setProperties(structOf(outs));
    } catch (err) {
      if (err instanceof OutcomeUnknownError) throw new InitFailed(initFailure(err, err.id, err.properties));
      throw err;
    }
  }

  private async read(req: provproto.ReadRequest): Promise<provproto.ReadResponse> {
    requireOwnType(req);
    const id = req.getId();
    const state = bagOf(req.getProperties());
    // `pulumi import` sends the ID alone: it names the membership, the region comes from the configuration.
    const importing = typeof state.securityGroupId !== "string";
    const props = importing ? importedProperties(id, this.currentSettings().defaultRegion) : state;
    const live = await this.lifecycle.read(withUrn(props, req.getUrn()) as unknown as MembershipOutputs);
    const res = new provproto.ReadResponse();
    if (!live) {
      if (importing) {
        throw new RequestError(
          `cannot import ${id}: it does not exist (the target is not in the security group, or either is gone)`,
          grpc.status.NOT_FOUND,
        );
      }
      return res.setId("");
    }
    res.setId(id).setProperties(structOf(live));
    if (importing) res.setInputs(structOf(without(stateOf(live), ["securityGroupIds"])));
    else if (req.hasInputs()) res.setInputs(req.getInputs() as Struct);
    return res;
  }

  private async update(req: provproto.UpdateRequest): Promise<provproto.UpdateResponse> {
    requireOwnType(req);
    const news = withUrn(bagOf(req.getNews()), req.getUrn()) as unknown as MembershipInputs;
    if (req.getPreview()) return new provproto.UpdateResponse().setProperties(structOf({ ...news, securityGroupIds: UNKNOWN_VALUE }));
    try {
      return new provproto.UpdateResponse().setProperties(structOf(await this.lifecycle.update(news, timeoutOf(req))));
    } catch (err) {
      if (err instanceof UnconfirmedWriteError) {
        const olds = bagOf(req.getOlds());
        throw new InitFailed(initFailure(err, req.getId(), { ...news, securityGroupIds: olds.securityGroupIds ?? [] }));
      }
      throw err;
    }
  }

  private async delete(req: provproto.DeleteRequest): Promise<Empty> {
    requireOwnType(req);
    await this.lifecycle.remove(withUrn(bagOf(req.getProperties()), req.getUrn()) as unknown as MembershipOutputs, timeoutOf(req));
    return new Empty();
  }
}
