// /u/{token} — an upload URL: POST multipart/form-data, PUT the raw bytes, or tus (POST with Tus-Resumable creates)
import { handleUploadUrl } from "@/lib/uploads/capability";

type Params = { params: Promise<{ token: string }> };

const handler = async (request: Request, { params }: Params) => handleUploadUrl(request, { token: (await params).token, rest: [] });

export { handler as GET, handler as HEAD, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as OPTIONS };
