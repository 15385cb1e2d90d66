// The client's own behaviour against small in-process @grpc/grpc-js servers:
// retry on UNAVAILABLE for reads only, round_robin, deadlines, the bearer
// token, request building. Needs no govreport server.

import assert from "node:assert/strict";
import { after, test } from "node:test";

import {
  CatalogServiceService,
  type CatalogServiceServer,
  GetRegionResponse,
} from "../gen/govreport/v1/catalog_service";
import { ReportServiceService, type ReportServiceServer } from "../gen/govreport/v1/report_service";
import { GovreportClient, grpc, RegionLevel, regionSelector, serviceConfig, subtree } from "../src/index";

const servers: grpc.Server[] = [];
after(() => {
  for (const server of servers) server.forceShutdown();
});

function serve(service: grpc.ServiceDefinition, impl: grpc.UntypedServiceImplementation): Promise<string> {
  const server = new grpc.Server();
  server.addService(service, impl);
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (error) reject(error);
      else resolve(`127.0.0.1:${port}`);
    });
  });
}

/** A CatalogService whose GetRegion fails `failures` times with `code`. */
function flakyCatalog(label: string, failures = 0, code = grpc.status.UNAVAILABLE) {
  const state = { calls: 0, metadata: [] as grpc.Metadata[] };
  const impl: Partial<CatalogServiceServer> = {
    getRegion(call, callback) {
      state.calls += 1;
      state.metadata.push(call.metadata);
      if (state.calls <= failures) {
        callback({ code, details: `${label}: failure ${state.calls}` });
        return;
      }
      callback(
        null,
        GetRegionResponse.fromPartial({ region: { name: call.request.name, displayName: label }, dataVersion: "7" }),
      );
    },
  };
  return { state, impl: impl as grpc.UntypedServiceImplementation };
}

test("service config: round_robin, retry of reads on UNAVAILABLE", () => {
  const config = JSON.parse(serviceConfig());
  assert.deepEqual(config.loadBalancingConfig, [{ round_robin: {} }]);
  const [methodConfig] = config.methodConfig;
  assert.deepEqual(methodConfig.retryPolicy.retryableStatusCodes, ["UNAVAILABLE"]);
  assert.ok(methodConfig.name.some((n: { service: string }) => n.service === "govreport.v1.QueryService"));
  assert.ok(!methodConfig.name.some((n: { method?: string }) => n.method === "IngestDocument"));
  assert.deepEqual(JSON.parse(serviceConfig({ roundRobin: false, retry: false })), {});
});

test("UNAVAILABLE is retried", async () => {
  const { state, impl } = flakyCatalog("ok", 2);
  const client = new GovreportClient(await serve(CatalogServiceService, impl));
  try {
    const resp = await client.getRegion("410325");
    assert.equal(resp.region?.name, "regions/410325");
    assert.equal(state.calls, 3);
  } finally {
    client.close();
  }
});

test("UNAVAILABLE is not retried with retry off", async () => {
  const { state, impl } = flakyCatalog("ok", 2);
  const client = new GovreportClient(await serve(CatalogServiceService, impl), { retry: false });
  try {
    await assert.rejects(client.getRegion("410325"), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.UNAVAILABLE);
      assert.match(err.details, /failure 1/);
      return true;
    });
    assert.equal(state.calls, 1);
  } finally {
    client.close();
  }
});

test("other codes are not retried", async () => {
  const { state, impl } = flakyCatalog("ok", 5, grpc.status.NOT_FOUND);
  const client = new GovreportClient(await serve(CatalogServiceService, impl));
  try {
    await assert.rejects(client.getRegion("410325"), { code: grpc.status.NOT_FOUND });
    assert.equal(state.calls, 1);
  } finally {
    client.close();
  }
});

test("writes are not retried", async () => {
  let calls = 0;
  const impl: Partial<ReportServiceServer> = {
    ingestDocument(_call, callback) {
      calls += 1;
      callback({ code: grpc.status.UNAVAILABLE, details: "parser away" });
    },
  };
  const client = new GovreportClient(await serve(ReportServiceService, impl as grpc.UntypedServiceImplementation));
  try {
    await assert.rejects(
      new Promise((resolve, reject) =>
        client.reports.ingestDocument(
          { content: Buffer.from("x"), sourceUri: "", defaultYear: 0 },
          (err, resp) => (err ? reject(err) : resolve(resp)),
        ),
      ),
      { code: grpc.status.UNAVAILABLE },
    );
    assert.equal(calls, 1);
  } finally {
    client.close();
  }
});

test("round_robin spreads calls over the addresses", async () => {
  const a = flakyCatalog("a");
  const b = flakyCatalog("b");
  const target = `ipv4:${await serve(CatalogServiceService, a.impl)},${await serve(CatalogServiceService, b.impl)}`;
  const client = new GovreportClient(target);
  try {
    // The first calls may all go to the backend that connected first.
    const end = Date.now() + 5000;
    while (!(a.state.calls && b.state.calls) && Date.now() < end) {
      await client.getRegion("410325");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.ok(a.state.calls > 0 && b.state.calls > 0, `a ${a.state.calls}, b ${b.state.calls}`);
  } finally {
    client.close();
  }
});

test("per-call and default deadlines", async () => {
  const impl: Partial<CatalogServiceServer> = {
    getRegion(_call, callback) {
      const timer = setTimeout(() => callback(null, GetRegionResponse.fromPartial({})), 5000);
      _call.on("cancelled", () => clearTimeout(timer));
    },
  };
  const target = await serve(CatalogServiceService, impl as grpc.UntypedServiceImplementation);
  const client = new GovreportClient(target, { timeoutMs: 200 });
  try {
    const started = Date.now();
    await assert.rejects(client.getRegion("410325"), { code: grpc.status.DEADLINE_EXCEEDED });
    await assert.rejects(client.getRegion("410325", { timeoutMs: 50 }), { code: grpc.status.DEADLINE_EXCEEDED });
    assert.ok(Date.now() - started < 3000);
  } finally {
    client.close();
  }
});

test("the raw clients get the defaults too", async () => {
  const rawGetRegion = (client: GovreportClient) =>
    new Promise((resolve, reject) =>
      client.catalog.getRegion({ name: "regions/1" }, (err, resp) => (err ? reject(err) : resolve(resp))),
    );
  const { state, impl } = flakyCatalog("ok");
  const client = new GovreportClient(await serve(CatalogServiceService, impl), { token: "s3cret" });
  const slow: Partial<CatalogServiceServer> = {
    getRegion(call, callback) {
      const timer = setTimeout(() => callback(null, GetRegionResponse.fromPartial({})), 5000);
      call.on("cancelled", () => clearTimeout(timer));
    },
  };
  const slowClient = new GovreportClient(await serve(CatalogServiceService, slow as grpc.UntypedServiceImplementation), {
    timeoutMs: 200,
  });
  try {
    await rawGetRegion(client);
    assert.deepEqual(state.metadata[0].get("authorization"), ["Bearer s3cret"]);
    await assert.rejects(rawGetRegion(slowClient), { code: grpc.status.DEADLINE_EXCEEDED });
  } finally {
    client.close();
    slowClient.close();
  }
});

test("the token goes out as bearer metadata", async () => {
  const { state, impl } = flakyCatalog("ok");
  const client = new GovreportClient(await serve(CatalogServiceService, impl), { token: "s3cret" });
  try {
    await client.getRegion("410325");
    assert.deepEqual(state.metadata[0].get("authorization"), ["Bearer s3cret"]);
  } finally {
    client.close();
  }
});

test("region selectors", () => {
  assert.deepEqual(regionSelector(["410325", "regions/410308"]).regionList?.names, [
    "regions/410325",
    "regions/410308",
  ]);
  const tree = regionSelector(subtree("410300", "county"));
  assert.equal(tree.subtree?.parent, "regions/410300");
  assert.equal(tree.subtree?.level, RegionLevel.REGION_LEVEL_COUNTY);
});
