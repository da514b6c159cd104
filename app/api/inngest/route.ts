// GET/POST/PUT /api/inngest — the Inngest serve endpoint, active when Inngest is configured
import { serve } from "inngest/next";
import { connectInngestSender, inngest, inngestFunctions } from "@/inngest/client";
import { AppError } from "@/lib/api/errors";
import { methodsNotAllowed, respondWithError } from "@/lib/api/with-api";
import { engineMode } from "@/lib/engine/engine";

const handlers = serve({ client: inngest, functions: inngestFunctions });
type Handler = (request: Request, context: unknown) => Promise<Response>;

function active(method: keyof typeof handlers): Handler {
  return async (request, context) => {
    if (engineMode() !== "inngest") {
      return respondWithError(request, new AppError("not_found", "Inngest is not configured on this server (set INNGEST_SIGNING_KEY or INNGEST_DEV); the embedded engine runs the work."));
    }
    connectInngestSender();
    return (handlers[method] as unknown as Handler)(request, context);
  };
}

export const GET = active("GET");
export const POST = active("POST");
export const PUT = active("PUT");

export const { PATCH, DELETE } = methodsNotAllowed("GET", "POST", "PUT");
