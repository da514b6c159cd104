// /u/{token}/{tus id} — one tus upload of an upload URL: HEAD (offset), PATCH (bytes), DELETE (termination)
import { handleUploadUrl } from "@/lib/uploads/capability";

type Params = { params: Promise<{ token: string; rest: string[] }> };

const handler = async (request: Request, { params }: Params) => {
  const { token, rest } = await params;
  return handleUploadUrl(request, { token, rest });
};

export { handler as GET, handler as HEAD, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as OPTIONS };
