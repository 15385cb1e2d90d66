// Compares one indicator across regions for one year, ranked.
//
//   npx tsc -p . && node dist/examples/compare_regions.js 127.0.0.1:50052 \
//       [--indicator=urban-new-employment] [--year=2024] [CODE...]
//
// Run scripts/gen_clients first (the stubs are generated, not committed).

import { GovreportClient, grpc, isGrpcError } from "../src/index";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: string) =>
    args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
  const positional = args.filter((a) => !a.startsWith("--"));
  const server = positional[0] ?? "127.0.0.1:50052";
  const regions = positional.length > 1 ? positional.slice(1) : ["410325", "410308"]; // 嵩县, 孟津区
  const indicator = flag("indicator", "urban-new-employment");
  const year = Number(flag("year", "2024"));

  const client = new GovreportClient(server, { timeoutMs: 5000 });
  try {
    const resp = await client.compareRegions({ regions, indicator, year, kind: "target" });
    console.log(`${indicator} target ${year} (data version ${resp.dataVersion})`);
    for (const row of resp.rows) {
      const q = row.observation?.quantity;
      console.log(
        row.rank ? `${String(row.rank).padStart(3)}  ${row.regionDisplayName}\t${q?.value} ${q?.unit}\t${q?.originalText}`
                 : `  -  ${row.regionDisplayName}\t(no value)`,
      );
    }
    return 0;
  } catch (err) {
    if (!isGrpcError(err)) throw err;
    console.error(`CompareRegions failed: ${grpc.status[err.code]}: ${err.details}`);
    return 1;
  } finally {
    client.close();
  }
}

main().then((code) => process.exit(code));
