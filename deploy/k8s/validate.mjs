#!/usr/bin/env node
// Validates Kubernetes manifests offline.
//
//   node deploy/k8s/validate.mjs [--expect-invalid] TARGET...
//
// TARGET is a kustomization directory (rendered with `kubectl kustomize DIR`;
// set KUBECTL to use another kubectl) or a YAML file. Every object is checked
// in two steps:
//
// 1. Schema: fed to the matching kubernetes-models class (apiVersion + kind,
//    e.g. apps/v1 Deployment) and its validate(), i.e. the Kubernetes OpenAPI
//    schema: types, required fields, enums. An apiVersion/kind it does not know
//    is an error too. The schemas do not forbid unknown fields, so a misspelt
//    field would pass step 1; step 2 asserts the fields that matter are there.
// 2. This project's invariants, which the schema cannot express: gRPC probes,
//    resources, the restricted security context, a termination grace period
//    longer than the server's drain_delay + shutdown_deadline (read from the
//    flagfile ConfigMap the pod mounts), selectors that match pod labels, and
//    ConfigMaps/Secrets that exist (Secrets: in the rendering or in
//    examples/secrets.example.yaml, since they are created out of band).
//
// Each error names the object (Kind namespace/name) and what is wrong. Exit 0
// when everything is valid; 1 when something is not. With --expect-invalid the
// errors are printed all the same, and the exit codes swap: it is how the test
// suite checks that a broken fixture fails (the check bites).
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
// The npm modules live in tools/node (scripts/bootstrap: npm ci there).
const require = createRequire(path.join(repo, "tools/node/package.json"));
const YAML = require("yaml");

const args = process.argv.slice(2);
const expectInvalid = args.includes("--expect-invalid");
const targets = args.filter((a) => !a.startsWith("--"));
if (targets.length === 0) {
  console.error("usage: validate.mjs [--expect-invalid] KUSTOMIZATION_DIR|FILE.yaml...");
  process.exit(2);
}

function render(target) {
  if (statSync(target).isDirectory()) {
    const kubectl = process.env.KUBECTL || "kubectl";
    try {
      return execFileSync(kubectl, ["kustomize", target], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 64 << 20,
      });
    } catch (e) {
      const why = e.code === "ENOENT" ? `${kubectl} not found on PATH` : (e.stderr || e.message);
      throw new Error(`kubectl kustomize ${target} failed: ${why}`.trim());
    }
  }
  return readFileSync(target, "utf8");
}

function parseAll(text, source) {
  const objects = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${source}: YAML: ${doc.errors[0].message}`);
    const obj = doc.toJSON();
    if (obj !== null && obj !== undefined) objects.push(obj);
  }
  return objects;
}

const id = (o) =>
  `${o?.kind ?? "?"} ${o?.metadata?.namespace ? o.metadata.namespace + "/" : ""}${o?.metadata?.name ?? "?"}`;

// ---- 1. schema: kubernetes-models ----

function schemaErrors(obj) {
  if (!obj || typeof obj !== "object" || !obj.apiVersion || !obj.kind) {
    return ["not a Kubernetes object (apiVersion and kind are required)"];
  }
  let models;
  try {
    models = require(`kubernetes-models/${obj.apiVersion}`);
  } catch {
    return [`kubernetes-models has no schemas for apiVersion ${obj.apiVersion}`];
  }
  const Model = models[obj.kind];
  if (typeof Model !== "function") {
    return [`kubernetes-models has no schema for ${obj.apiVersion} ${obj.kind}`];
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    if (Array.isArray(e.errors) && e.errors.length) {
      return e.errors.map((x) =>
        `${x.instancePath || "/"} ${x.message ?? x.keyword}` +
        (x.params && Object.keys(x.params).length ? ` ${JSON.stringify(x.params)}` : ""));
    }
    return [e.message];
  }
}

// ---- 2. the project's invariants ----

function seconds(duration) {
  // absl::Duration text: 5s, 1m30s, 1.5s, 500ms, 1h.
  if (/^0+$/.test(duration)) return 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|us|ns|m|s)/gy;
  const unit = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 };
  let total = 0, m, end = 0;
  while ((m = re.exec(duration))) { total += Number(m[1]) * unit[m[2]]; end = re.lastIndex; }
  return end === duration.length && end > 0 ? total : NaN;
}

const matches = (selector, labels) =>
  selector && Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function invariantErrors(objects, externalSecrets) {
  const errors = new Map(); // object id → [messages]
  const fail = (o, msg) => errors.set(id(o), [...(errors.get(id(o)) ?? []), msg]);
  const sameNs = (a, b) => (a.metadata?.namespace ?? "") === (b.metadata?.namespace ?? "");
  const configMaps = objects.filter((o) => o.kind === "ConfigMap");
  const secrets = [...objects, ...externalSecrets].filter((o) => o.kind === "Secret");
  const workloads = objects.filter((o) =>
    ["Deployment", "StatefulSet", "DaemonSet"].includes(o.kind) && o.spec?.template);

  for (const w of workloads) {
    const pod = w.spec.template.spec ?? {};
    const podLabels = w.spec.template.metadata?.labels;
    if (!matches(w.spec.selector?.matchLabels, podLabels)) {
      fail(w, "spec.selector.matchLabels does not match spec.template.metadata.labels");
    }
    const psc = pod.securityContext ?? {};
    if (psc.runAsNonRoot !== true) fail(w, "pod securityContext.runAsNonRoot is not true");
    if (psc.seccompProfile?.type !== "RuntimeDefault") {
      fail(w, "pod securityContext.seccompProfile.type is not RuntimeDefault");
    }
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    for (const v of volumes.values()) {
      if (v.configMap && !configMaps.some((c) => sameNs(c, w) && c.metadata.name === v.configMap.name)) {
        fail(w, `volume ${v.name}: ConfigMap ${v.configMap.name} is not in the rendering`);
      }
      if (v.secret && !secrets.some((s) => sameNs(s, w) && s.metadata.name === v.secret.secretName)) {
        fail(w, `volume ${v.name}: Secret ${v.secret.secretName} is neither rendered nor in examples/secrets.example.yaml`);
      }
    }
    const claims = new Set((w.spec.volumeClaimTemplates ?? []).map((c) => c.metadata?.name));
    for (const [i, c] of (pod.containers ?? []).entries()) {
      const where = `container ${c.name ?? "#" + i}`;
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.has(m.name) && !claims.has(m.name)) {
          fail(w, `${where}: volumeMount ${m.name} has no volume or volumeClaimTemplate`);
        }
      }
      const grpcPort = (c.ports ?? []).find((p) => p.name === "grpc")?.containerPort;
      if (!grpcPort) fail(w, `${where}: no container port named grpc`);
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        if (!c[probe]?.grpc) fail(w, `${where}: ${probe} is not a native gRPC probe`);
        else if (c[probe].grpc.port !== grpcPort) {
          fail(w, `${where}: ${probe}.grpc.port ${c[probe].grpc.port} is not the grpc port ${grpcPort}`);
        }
      }
      for (const kind of ["requests", "limits"]) {
        for (const r of ["cpu", "memory"]) {
          if (!c.resources?.[kind]?.[r]) fail(w, `${where}: resources.${kind}.${r} is missing`);
        }
      }
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false) fail(w, `${where}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) fail(w, `${where}: readOnlyRootFilesystem is not true`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) fail(w, `${where}: capabilities.drop lacks ALL`);
      if (sc.runAsNonRoot === false || sc.privileged) fail(w, `${where}: may run as root or privileged`);

      // Grace period vs. the server's own drain: read the flagfiles it loads.
      const flags = { drain_delay: "0s", shutdown_deadline: "10s" }; // the binaries' defaults
      for (const arg of [...(c.command ?? []), ...(c.args ?? [])]) {
        const m = /^--flagfile=(.*)$/.exec(arg);
        if (m) {
          for (const file of m[1].split(",")) {
            const mount = (c.volumeMounts ?? []).find((vm) => path.posix.dirname(file) === vm.mountPath);
            const cmName = mount && volumes.get(mount.name)?.configMap?.name;
            const cm = cmName && configMaps.find((x) => sameNs(x, w) && x.metadata.name === cmName);
            const text = cm?.data?.[path.posix.basename(file)];
            if (text === undefined) {
              fail(w, `${where}: flagfile ${file} is not a key of a mounted ConfigMap`);
              continue;
            }
            for (const line of text.split("\n")) {
              const f = /^\s*--(drain_delay|shutdown_deadline)=(\S+)\s*$/.exec(line);
              if (f) flags[f[1]] = f[2];
            }
          }
        }
        const f = /^--(drain_delay|shutdown_deadline)=(\S+)$/.exec(arg);
        if (f) flags[f[1]] = f[2];
      }
      const drain = seconds(flags.drain_delay), deadline = seconds(flags.shutdown_deadline);
      const grace = pod.terminationGracePeriodSeconds ?? 30;
      if (Number.isNaN(drain) || Number.isNaN(deadline)) {
        fail(w, `${where}: cannot read --drain_delay=${flags.drain_delay} / --shutdown_deadline=${flags.shutdown_deadline}`);
      } else if (!(grace > drain + deadline)) {
        fail(w, `terminationGracePeriodSeconds ${grace} is not longer than ` +
          `--drain_delay=${flags.drain_delay} + --shutdown_deadline=${flags.shutdown_deadline}`);
      }
    }
  }

  // Selectors and references: every one must find its pods or target.
  const podsMatch = (o, selector) =>
    workloads.some((w) => sameNs(w, o) && matches(selector, w.spec.template.metadata?.labels));
  for (const o of objects) {
    if (o.kind === "Service" && o.spec?.selector && !podsMatch(o, o.spec.selector)) {
      fail(o, `spec.selector ${JSON.stringify(o.spec.selector)} matches no workload's pods`);
    }
    if (o.kind === "PodDisruptionBudget" && !podsMatch(o, o.spec?.selector?.matchLabels)) {
      fail(o, "spec.selector.matchLabels matches no workload's pods");
    }
    if (o.kind === "NetworkPolicy") {
      const sel = o.spec?.podSelector?.matchLabels;
      if (sel && !podsMatch(o, sel)) fail(o, "spec.podSelector matches no workload's pods");
      for (const rule of o.spec?.ingress ?? []) {
        for (const peer of rule.from ?? []) {
          const ps = peer.podSelector?.matchLabels;
          if (ps && !peer.namespaceSelector && !podsMatch(o, ps)) {
            fail(o, `ingress from podSelector ${JSON.stringify(ps)} matches no workload's pods`);
          }
        }
      }
    }
    if (o.kind === "HorizontalPodAutoscaler") {
      const t = o.spec?.scaleTargetRef ?? {};
      const target = workloads.find((w) => sameNs(w, o) && w.kind === t.kind && w.metadata.name === t.name);
      if (!target) fail(o, `scaleTargetRef ${t.kind}/${t.name} is not in the rendering`);
      else if (target.spec.replicas !== undefined) {
        fail(o, `${t.kind}/${t.name} sets spec.replicas, which every apply would reset under the HPA`);
      }
    }
  }
  return errors;
}

// ---- main ----

let exampleSecrets = [];
try {
  exampleSecrets = parseAll(readFileSync(path.join(here, "examples/secrets.example.yaml"), "utf8"),
    "examples/secrets.example.yaml");
} catch (e) {
  console.error(`validate: ${e.message}`);
  process.exit(2);
}

let invalid = 0;
for (const target of targets) {
  let objects;
  try {
    objects = parseAll(render(target), target);
  } catch (e) {
    console.error(`FAIL ${target}: ${e.message}`);
    invalid++;
    continue;
  }
  let bad = 0;
  for (const obj of objects) {
    for (const msg of schemaErrors(obj)) {
      console.error(`FAIL ${target}: ${id(obj)}: schema: ${msg}`);
      bad++;
    }
  }
  for (const [who, msgs] of invariantErrors(objects, exampleSecrets)) {
    for (const msg of msgs) {
      console.error(`FAIL ${target}: ${who}: ${msg}`);
      bad++;
    }
  }
  if (objects.length === 0) {
    console.error(`FAIL ${target}: no objects`);
    bad++;
  }
  const kinds = [...new Set(objects.map((o) => o.kind))].sort().join(", ");
  console.log(`${bad ? "INVALID" : "ok"} ${target}: ${objects.length} objects (${kinds})` +
    (bad ? `, ${bad} error(s)` : ""));
  invalid += bad;
}

if (expectInvalid) {
  if (invalid === 0) {
    console.error("validate: expected errors, found none: the check does not bite");
    process.exit(1);
  }
  console.log(`validate: ${invalid} error(s), as expected`);
  process.exit(0);
}
process.exit(invalid ? 1 : 0);
