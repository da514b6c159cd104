// Requests no route claims land here: on a project's active custom domain, `/<folder>/<filename>` is delivered
// exactly as /f/<alias>/<folder>/<filename> is (Range, ETag, signed URLs); anywhere else, or for paths the app
// itself uses, it is a 404.
import { deliver } from "@/lib/delivery/deliver";
import { requestHostname } from "@/lib/domains/hostname";
import { aliasForHost } from "@/lib/domains/routing";
import { env } from "@/lib/env";

// First path segments that belong to the app on every host: a custom domain never serves a folder by these names.
const APP_SEGMENTS = new Set(["api", "dashboard", "_next", "login", "signup", "invite", "f", "u"]);

/** The hostname the client asked for (X-Forwarded-Host only behind a trusted proxy). */
export function hostOf(request: Request): string | null {
  const forwarded = env().MEDIABIT_TRUST_PROXY ? request.headers.get("x-forwarded-host") : null;
  return requestHostname(forwarded ?? request.headers.get("host"));
}

function pageNotFound(request: Request): Response {
  const headers = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  if (!(request.headers.get("accept") ?? "").includes("text/html")) {
    return Response.json({ kind: "not_found", message: "Nothing lives at this address." }, { status: 404, headers });
  }
  // A route handler cannot render app/not-found.tsx (Next answers notFound() here with an empty 404), so this mirrors it.
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Page not found</title></head>
<body style="margin:0;background:#fafafa;font-family:ui-sans-serif,system-ui,sans-serif;color:#18181b">
<main style="max-width:28rem;margin:0 auto;padding:12vh 1rem 3rem">
<p style="text-align:center;font-size:1.125rem;font-weight:600;margin:0 0 2rem">Mediabit</p>
<div style="background:#fff;border:1px solid #e4e4e7;border-radius:.75rem;padding:3.5rem 1.5rem;text-align:center">
<h1 style="font-size:1rem;margin:0">Page not found</h1>
<p style="font-size:13px;line-height:1.6;color:#71717a;margin:.4rem 0 1.25rem">There is nothing at this address. The link may be mistyped, or what it pointed to was deleted or belongs to a project you are not in.</p>
<a href="/dashboard" style="display:inline-block;background:#18181b;color:#fff;border-radius:.375rem;padding:.5rem .875rem;font-size:14px;font-weight:500;text-decoration:none">Go to the dashboard</a>
</div></main></body></html>`;
  return new Response(request.method === "HEAD" ? null : html, { status: 404, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}

export async function deliverForHost(request: Request, segments: string[]): Promise<Response> {
  const hostname = hostOf(request);
  const alias = hostname ? await aliasForHost(hostname) : null;
  if (!alias) return pageNotFound(request);
  if (APP_SEGMENTS.has(segments[0] ?? "")) return pageNotFound(request);
  return deliver(request, alias, segments);
}
