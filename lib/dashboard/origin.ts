// The origin people reach this deployment at, for copy-paste snippets in the dashboard: the one rule the API
// uses (requestOrigin: MEDIABIT_PUBLIC_URL, else Host; forwarded headers only behind a trusted proxy).
import { headers } from "next/headers";
import { requestOrigin } from "@/lib/net/client-address";

export async function publicOrigin(): Promise<string> {
  return requestOrigin(await headers());
}
