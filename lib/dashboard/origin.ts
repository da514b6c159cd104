// The origin people reach this deployment at, for copy-paste snippets in the dashboard.
import { headers } from "next/headers";
import { env } from "@/lib/env";

export async function publicOrigin(): Promise<string> {
  const configured = env().MEDIABIT_PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const incoming = await headers();
  const host = incoming.get("x-forwarded-host") ?? incoming.get("host") ?? `localhost:${env().PORT}`;
  const proto = incoming.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${proto}://${host}`;
}
