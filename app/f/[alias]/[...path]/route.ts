// GET/HEAD /f/{project alias}/{folder…}/{filename} — file delivery (Range, ETag, signed URLs)
import { deliver } from "@/lib/delivery/deliver";

type Params = { params: Promise<{ alias: string; path: string[] }> };

async function handle(request: Request, { params }: Params): Promise<Response> {
  const { alias, path } = await params;
  return deliver(request, alias, path);
}

export const GET = handle;
export const HEAD = handle;
