// A thin promise-based client for the govreport query server, over the
// ts-proto stubs (gen/, written by scripts/gen_clients) and @grpc/grpc-js.
//
// Every method is one RPC: it builds the request, calls the generated stub
// with a deadline and resolves with the response message as is (dataVersion,
// nextPageToken and all). A failed call rejects with the @grpc/grpc-js
// ServiceError: `err.code` is a grpc.status value, `err.details` the server's
// message.

import * as grpc from "@grpc/grpc-js";

import {
  CatalogServiceClient,
  GetIndicatorRequest,
  type GetIndicatorResponse,
  GetRegionRequest,
  type GetRegionResponse,
  ListIndicatorsRequest,
  type ListIndicatorsResponse,
  ListRegionsRequest,
  type ListRegionsResponse,
} from "../gen/govreport/v1/catalog_service";
import {
  CompareRegionsRequest,
  type CompareRegionsResponse,
  CompareYearsRequest,
  type CompareYearsResponse,
  EvaluateTargetsRequest,
  type EvaluateTargetsResponse,
  QueryObservationsRequest,
  type QueryObservationsResponse,
  QueryServiceClient,
  RegionSelector,
  RegionSubtree,
  RowOrder,
  SummarizeCoverageRequest,
  type SummarizeCoverageResponse,
  YearPolicy,
} from "../gen/govreport/v1/query_service";
import {
  GetReportRequest,
  type GetReportResponse,
  ListObservationsRequest,
  type ListObservationsResponse,
  ListReportsRequest,
  type ListReportsResponse,
  ReportServiceClient,
  ReportView,
} from "../gen/govreport/v1/report_service";
import { ObservationKind, RegionLevel, ValueType } from "../gen/govreport/v1/resources";

export * as catalogPb from "../gen/govreport/v1/catalog_service";
export * as queryPb from "../gen/govreport/v1/query_service";
export * as reportPb from "../gen/govreport/v1/report_service";
export * as resourcesPb from "../gen/govreport/v1/resources";
export { ObservationKind, RegionLevel, ValueType } from "../gen/govreport/v1/resources";
export { Availability, RowOrder, YearPolicy } from "../gen/govreport/v1/query_service";
export { ReportView } from "../gen/govreport/v1/report_service";

/** Default deadline of each call, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Read-only methods: the ones retried on UNAVAILABLE. Writes are not. */
const READ_METHODS: Record<string, string[] | null> = {
  "govreport.v1.CatalogService": null, // null: every method of the service
  "govreport.v1.QueryService": null,
  "govreport.v1.ReportService": ["GetReport", "ListReports", "ListPolicyMeasures", "ListObservations"],
};

export interface ServiceConfigOptions {
  /** Spread calls over every resolved address (default true). */
  roundRobin?: boolean;
  /** Retry the read-only methods on UNAVAILABLE (default true). */
  retry?: boolean;
  /** Attempts in all, first one included (default 4; gRPC caps it at 5). */
  maxAttempts?: number;
}

/** The gRPC service config (JSON) the client's channel uses. */
export function serviceConfig(options: ServiceConfigOptions = {}): string {
  const { roundRobin = true, retry = true, maxAttempts = 4 } = options;
  const config: Record<string, unknown> = {};
  if (roundRobin) config.loadBalancingConfig = [{ round_robin: {} }];
  if (retry) {
    const name: Array<{ service: string; method?: string }> = [];
    for (const [service, methods] of Object.entries(READ_METHODS)) {
      if (methods === null) name.push({ service });
      else for (const method of methods) name.push({ service, method });
    }
    config.methodConfig = [
      {
        name,
        retryPolicy: {
          maxAttempts,
          initialBackoff: "0.1s",
          maxBackoff: "2s",
          backoffMultiplier: 2,
          retryableStatusCodes: ["UNAVAILABLE"],
        },
      },
    ];
  }
  return JSON.stringify(config);
}

export interface ClientOptions extends ServiceConfigOptions {
  /** Default deadline of each call in ms (0: none); every method also
   *  takes one. Applies to calls on the raw clients too. */
  timeoutMs?: number;
  /** Bearer token, sent as `authorization` metadata with every call, raw
   *  clients included (writes need it; reads rarely do). */
  token?: string;
  /** TLS credentials; plaintext when omitted. */
  credentials?: grpc.ChannelCredentials;
  /** More channel options. */
  channelOptions?: grpc.ChannelOptions;
}

export interface CallOptions {
  /** Deadline of this call, in ms from now. */
  timeoutMs?: number;
}

/** A region list (names or bare division codes), a subtree or a selector. */
export type Regions = string[] | RegionSelector | { subtree: RegionSubtree };

type Kind = ObservationKind | "target" | "achieved";
type Level = RegionLevel | "province" | "prefecture" | "county";
type Value = ValueType | "level" | "growth_rate" | "change";

function enumValue<E extends Record<string, string | number>>(
  enumeration: E,
  prefix: string,
  value: number | string | undefined,
): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value;
  const name = value.toUpperCase().startsWith(prefix) ? value.toUpperCase() : prefix + value.toUpperCase();
  const found = enumeration[name];
  if (typeof found !== "number") throw new RangeError(`unknown ${prefix}* value ${value}`);
  return found;
}

/** `regions/410325` as is; a bare division code gets the prefix. */
export function regionName(region: string): string {
  return region.startsWith("regions/") ? region : `regions/${region}`;
}

function indicatorName(indicator: string): string {
  return indicator.startsWith("indicators/") ? indicator : `indicators/${indicator}`;
}

/** A RegionSelector from names/codes, `{subtree}` or a selector. */
export function regionSelector(regions: Regions): RegionSelector {
  if (Array.isArray(regions)) {
    return RegionSelector.fromPartial({ regionList: { names: regions.map(regionName) } });
  }
  return RegionSelector.fromPartial(regions);
}

/** Every region under `parent` at `level`. */
export function subtree(parent: string, level: Level): { subtree: RegionSubtree } {
  return {
    subtree: RegionSubtree.fromPartial({
      parent: regionName(parent),
      level: enumValue(RegionLevel, "REGION_LEVEL_", level),
    }),
  };
}

type Callback<Resp> = (error: grpc.ServiceError | null, response: Resp) => void;
type UnaryMethod<Req, Resp> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: Callback<Resp>,
) => grpc.ClientUnaryCall;

/**
 * Read access to the query server.
 *
 *     const client = new GovreportClient("127.0.0.1:50052");
 *     const resp = await client.compareRegions({
 *       regions: ["410325", "410308"], indicator: "urban-new-employment", year: 2024 });
 *     client.close();
 *
 * `catalog`, `reports` and `query` are the raw generated clients, for what
 * the wrapper does not cover (writes, BatchGetRegions, ...).
 */
export class GovreportClient {
  readonly channel: grpc.Channel;
  readonly catalog: CatalogServiceClient;
  readonly reports: ReportServiceClient;
  readonly query: QueryServiceClient;
  private readonly timeoutMs: number;
  private readonly token?: string;

  constructor(target: string, options: ClientOptions = {}) {
    const credentials = options.credentials ?? grpc.credentials.createInsecure();
    this.channel = new grpc.Channel(target, credentials, {
      "grpc.service_config": serviceConfig(options),
      "grpc.enable_retries": options.retry === false ? 0 : 1,
      ...options.channelOptions,
    });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.token = options.token;
    // The defaults apply to the raw clients (catalog, reports, query) too.
    const shared = { channelOverride: this.channel, interceptors: [this.defaults] };
    this.catalog = new CatalogServiceClient(target, credentials, shared);
    this.reports = new ReportServiceClient(target, credentials, shared);
    this.query = new QueryServiceClient(target, credentials, shared);
  }

  /** Gives every call the default deadline (unless it has one) and the token. */
  private readonly defaults: grpc.Interceptor = (options, nextCall) => {
    if (options.deadline === undefined && this.timeoutMs > 0) {
      options = { ...options, deadline: Date.now() + this.timeoutMs };
    }
    return new grpc.InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) => {
        if (this.token && metadata.get("authorization").length === 0) {
          metadata.set("authorization", `Bearer ${this.token}`);
        }
        next(metadata, listener);
      },
    });
  };

  close(): void {
    this.catalog.close();
    this.reports.close();
    this.query.close();
    this.channel.close();
  }

  private call<Req, Resp>(
    client: grpc.Client,
    method: UnaryMethod<Req, Resp>,
    request: Req,
    options: CallOptions = {},
  ): Promise<Resp> {
    // Without timeoutMs, the interceptor applies the default deadline.
    const callOptions = options.timeoutMs === undefined ? {} : { deadline: Date.now() + options.timeoutMs };
    return new Promise((resolve, reject) => {
      method.call(client, request, new grpc.Metadata(), callOptions, (error, response) => {
        if (error) reject(error);
        else resolve(response);
      });
    });
  }

  // -- CatalogService -------------------------------------------------------

  /** GetRegion: `regions/410325` or `410325`; former codes resolve too. */
  getRegion(name: string, options?: CallOptions): Promise<GetRegionResponse> {
    const request = GetRegionRequest.fromPartial({ name: regionName(name) });
    return this.call(this.catalog, this.catalog.getRegion, request, options);
  }

  /** ListRegions under `parent` (empty: provinces), optionally at one level. */
  listRegions(
    args: { parent?: string; level?: Level; pageSize?: number; pageToken?: string } = {},
    options?: CallOptions,
  ): Promise<ListRegionsResponse> {
    const request = ListRegionsRequest.fromPartial({
      parent: args.parent ? regionName(args.parent) : "",
      level: enumValue(RegionLevel, "REGION_LEVEL_", args.level),
      pageSize: args.pageSize ?? 0,
      pageToken: args.pageToken ?? "",
    });
    return this.call(this.catalog, this.catalog.listRegions, request, options);
  }

  /** GetIndicator: `indicators/gdp` or `gdp`. */
  getIndicator(name: string, options?: CallOptions): Promise<GetIndicatorResponse> {
    const request = GetIndicatorRequest.fromPartial({ name: indicatorName(name) });
    return this.call(this.catalog, this.catalog.getIndicator, request, options);
  }

  /** ListIndicators, optionally matching `query` against names and aliases. */
  listIndicators(
    args: { query?: string; pageSize?: number; pageToken?: string } = {},
    options?: CallOptions,
  ): Promise<ListIndicatorsResponse> {
    const request = ListIndicatorsRequest.fromPartial(args);
    return this.call(this.catalog, this.catalog.listIndicators, request, options);
  }

  // -- ReportService --------------------------------------------------------

  /** GetReport: `regions/410325/reports/2024`, BASIC view unless asked. */
  getReport(name: string, args: { view?: ReportView } = {}, options?: CallOptions): Promise<GetReportResponse> {
    const request = GetReportRequest.fromPartial({ name, view: args.view ?? ReportView.REPORT_VIEW_UNSPECIFIED });
    return this.call(this.reports, this.reports.getReport, request, options);
  }

  /** ListReports of one region, or of all (`regions/-`, the default). */
  listReports(
    args: { parent?: string; years?: number[]; pageSize?: number; pageToken?: string } = {},
    options?: CallOptions,
  ): Promise<ListReportsResponse> {
    const request = ListReportsRequest.fromPartial({ ...args, parent: regionName(args.parent ?? "regions/-") });
    return this.call(this.reports, this.reports.listReports, request, options);
  }

  /** ListObservations of one report (`regions/410325/reports/2024`). */
  listObservations(
    args: {
      parent: string;
      indicators?: string[];
      kind?: Kind;
      subjectTexts?: string[];
      pageSize?: number;
      pageToken?: string;
    },
    options?: CallOptions,
  ): Promise<ListObservationsResponse> {
    const request = ListObservationsRequest.fromPartial({
      ...args,
      indicators: (args.indicators ?? []).map(indicatorName),
      kind: enumValue(ObservationKind, "OBSERVATION_KIND_", args.kind),
    });
    return this.call(this.reports, this.reports.listObservations, request, options);
  }

  // -- QueryService ---------------------------------------------------------

  /** CompareRegions: one indicator, one year, ranked across regions. */
  compareRegions(
    args: {
      regions: Regions;
      indicator: string;
      year?: number;
      kind?: Kind; // default target
      valueType?: Value; // default level
      yearPolicy?: YearPolicy;
      order?: RowOrder;
      excludeUnavailable?: boolean;
      pageSize?: number;
      pageToken?: string;
    },
    options?: CallOptions,
  ): Promise<CompareRegionsResponse> {
    const request = CompareRegionsRequest.fromPartial({
      regions: regionSelector(args.regions),
      series: {
        indicator: indicatorName(args.indicator),
        valueType: enumValue(ValueType, "VALUE_TYPE_", args.valueType ?? "level"),
        kind: enumValue(ObservationKind, "OBSERVATION_KIND_", args.kind ?? "target"),
      },
      year: args.year ?? 0,
      yearPolicy: args.yearPolicy ?? YearPolicy.YEAR_POLICY_UNSPECIFIED,
      order: args.order ?? RowOrder.ROW_ORDER_UNSPECIFIED,
      excludeUnavailable: args.excludeUnavailable ?? false,
      pageSize: args.pageSize ?? 0,
      pageToken: args.pageToken ?? "",
    });
    return this.call(this.query, this.query.compareRegions, request, options);
  }

  /** CompareYears: targets and results of an indicator over a span of years. */
  compareYears(
    args: { regions: string[]; indicator: string; firstYear: number; lastYear: number; valueType?: Value },
    options?: CallOptions,
  ): Promise<CompareYearsResponse> {
    const request = CompareYearsRequest.fromPartial({
      regions: args.regions.map(regionName),
      series: {
        indicator: indicatorName(args.indicator),
        valueType: enumValue(ValueType, "VALUE_TYPE_", args.valueType ?? "level"),
      },
      years: { firstYear: args.firstYear, lastYear: args.lastYear },
    });
    return this.call(this.query, this.query.compareYears, request, options);
  }

  /** EvaluateTargets: the targets of `year` against the results reported for it. */
  evaluateTargets(
    args: { regions: Regions; year: number; indicators?: string[]; pageSize?: number; pageToken?: string },
    options?: CallOptions,
  ): Promise<EvaluateTargetsResponse> {
    const request = EvaluateTargetsRequest.fromPartial({
      ...args,
      regions: regionSelector(args.regions),
      indicators: (args.indicators ?? []).map(indicatorName),
    });
    return this.call(this.query, this.query.evaluateTargets, request, options);
  }

  /** QueryObservations: bulk read, regions x indicators x years. */
  queryObservations(
    args: {
      regions: Regions;
      indicators?: string[];
      kind?: Kind;
      referenceYears?: { firstYear: number; lastYear: number };
      reportYears?: number[];
      subjectTexts?: string[];
      pageSize?: number;
      pageToken?: string;
    },
    options?: CallOptions,
  ): Promise<QueryObservationsResponse> {
    const request = QueryObservationsRequest.fromPartial({
      ...args,
      regions: regionSelector(args.regions),
      indicators: (args.indicators ?? []).map(indicatorName),
      kind: enumValue(ObservationKind, "OBSERVATION_KIND_", args.kind),
    });
    return this.call(this.query, this.query.queryObservations, request, options);
  }

  /** SummarizeCoverage: which years have data, per indicator series. */
  summarizeCoverage(
    args: { regions: Regions; indicators: string[] },
    options?: CallOptions,
  ): Promise<SummarizeCoverageResponse> {
    const request = SummarizeCoverageRequest.fromPartial({
      regions: regionSelector(args.regions),
      indicators: args.indicators.map(indicatorName),
    });
    return this.call(this.query, this.query.summarizeCoverage, request, options);
  }

  // -- paging ---------------------------------------------------------------

  /**
   * Every item of a paginated listing, page after page, to the end:
   *
   *     for await (const r of client.walk((t) => client.listRegions({ parent, pageToken: t }),
   *                                       (resp) => resp.regions)) { ... }
   *
   * `fetch` gets the page token ("" first); each page is its own call with
   * its own deadline.
   */
  async *walk<Resp extends { nextPageToken: string }, Item>(
    fetch: (pageToken: string) => Promise<Resp>,
    items: (response: Resp) => Item[],
  ): AsyncGenerator<Item, void, undefined> {
    const seen = new Set<string>();
    let token = "";
    for (;;) {
      const response = await fetch(token);
      yield* items(response);
      token = response.nextPageToken;
      if (!token) return;
      if (seen.has(token)) throw new Error(`page token ${token} repeated by the server`);
      seen.add(token);
    }
  }

  /** Every region of listRegions(args), across all pages. */
  iterRegions(args: Omit<Parameters<GovreportClient["listRegions"]>[0] & object, "pageToken">, options?: CallOptions) {
    return this.walk(
      (pageToken) => this.listRegions({ ...args, pageToken }, options),
      (r) => r.regions,
    );
  }

  /** Every report of listReports(args), across all pages. */
  iterReports(args: Omit<Parameters<GovreportClient["listReports"]>[0] & object, "pageToken">, options?: CallOptions) {
    return this.walk(
      (pageToken) => this.listReports({ ...args, pageToken }, options),
      (r) => r.reports,
    );
  }

  /** Every observation of listObservations(args), across all pages. */
  iterObservations(args: Omit<Parameters<GovreportClient["listObservations"]>[0], "pageToken">, options?: CallOptions) {
    return this.walk(
      (pageToken) => this.listObservations({ ...args, pageToken }, options),
      (r) => r.observations,
    );
  }
}

/** True when `error` is a gRPC error with status `code` (grpc.status.*). */
export function isGrpcError(error: unknown, code?: grpc.status): error is grpc.ServiceError {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    "details" in error &&
    (code === undefined || (error as grpc.ServiceError).code === code)
  );
}

export { grpc };
