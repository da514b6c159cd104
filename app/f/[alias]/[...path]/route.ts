// GET/HEAD /f/{project alias}/{folder…}/{filename} — file delivery (Range, ETag, signed URLs)
// PUT /f/{project alias}/{folder…}/{filename} — upload to that path (API key or PUT-signed URL; Content-Range: resumable)
// OPTIONS — the CORS preflight of such a PUT from a browser
import { deliver } from "@/lib/delivery/deliver";
import { answerPutPreflight, receivePut } from "@/lib/uploads/put";

type Params = { params: Promise<{ alias: string; path: string[] }> };

async function handle(request: Request, { params }: Params): Promise<Response> {
  const { alias, path } = await params;
  return deliver(request, alias, path);
}

async function upload(request: Request, { params }: Params): Promise<Response> {
  const { alias, path } = await params;
  return receivePut(request, alias, path);
}

export const GET = handle;
export const HEAD = handle;
export const PUT = upload;
export const OPTIONS = answerPutPreflight;
