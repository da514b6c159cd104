// GET /tasks-config: every task kind this server knows, its options and whether it can run here.
import { describeMediaKinds } from "@/lib/media/kinds";
import { UNAVAILABLE_KINDS } from "@/lib/tasks/kinds";

const ROUTING = {
  url: "http(s):// or s3:// source",
  connection_id: "connection for s3:// URLs (default: the project's default connection)",
  folder: "delivery folder",
  filename: "delivery file name",
  ref: "name in media.urls",
};

export async function describeTaskKinds(): Promise<Record<string, unknown>> {
  const media = await describeMediaKinds();
  const { probe, ...transforms } = media;
  const unavailable = Object.fromEntries(
    UNAVAILABLE_KINDS.map((kind) => [kind, { available: false, reason: "needs AI models or services this Mediabit build does not include" }]),
  );
  return {
    ingest: { available: true, aliases: ["import"], options: ROUTING },
    probe: { ...probe, available: true },
    export: { available: true, aliases: ["upload"], options: { url: "s3://bucket/key destination", connection_id: "connection to write with", bucket: "bucket (with key)", key: "object key" } },
    ...transforms,
    ...unavailable,
  };
}
