import fs from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { prepareEnv, startFileServer, CACHE_DIR, timed, MB } from "./lib";
const env = prepareEnv("exp");
const withDb = process.argv.includes("--db");
const server = await startFileServer(CACHE_DIR);
const url = server.url("ingest-1gb.mp4");
const { outboundFetch } = await import("@/lib/net/outbound");
const { fetchToScratch } = await import("@/lib/files/fetch-source");
const undici = await import("undici");
if (withDb) { const { db } = await import("@/lib/db/client"); await db(); }
const out = `${env.dataDir}/out.bin`;
const size = fs.statSync(`${CACHE_DIR}/ingest-1gb.mp4`).size;
const count = () => new Transform({ transform(c, _e, cb) { cb(null, c); } });
const variants: Record<string, () => Promise<unknown>> = {
  fetchToScratch: async () => { const s = await fetchToScratch("prj_x", { type: "url", url }, { signal: new AbortController().signal }); await s.remove(); },
  "outboundFetch+fromWeb": async () => { const { response } = await outboundFetch(url, { signal: new AbortController().signal }); await pipeline(Readable.fromWeb(response.body as any), count(), fs.createWriteStream(out)); },
  "outboundFetch no signal": async () => { const { response } = await outboundFetch(url, {}); await pipeline(Readable.fromWeb(response.body as any), count(), fs.createWriteStream(out)); },
  "undici.fetch+fromWeb": async () => { const r = await undici.fetch(url, { dispatcher: new undici.Agent() }); await pipeline(Readable.fromWeb(r.body as any), count(), fs.createWriteStream(out)); },
  "undici.request": async () => { const r = await undici.request(url, { dispatcher: new undici.Agent() }); await pipeline(r.body, count(), fs.createWriteStream(out)); },
};
for (let round = 0; round < 2; round++) for (const [name, fn] of Object.entries(variants)) {
  const c0 = process.cpuUsage();
  const { ms } = await timed(fn);
  const c = process.cpuUsage(c0);
  console.log(name.padEnd(28), ms.toFixed(0).padStart(6), "ms", (size / MB / (ms / 1000)).toFixed(0).padStart(5), "MB/s", "cpu user", (c.user/1000).toFixed(0).padStart(5), "sys", (c.system/1000).toFixed(0).padStart(5));
  fs.rmSync(out, { force: true });
}
await server.close(); await env.cleanup(); process.exit(0);
