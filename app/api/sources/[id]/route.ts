// GET/PATCH/DELETE /api/sources/{id} — A-generation names for one source file
import { methodsNotAllowed } from "@/lib/api/with-api";

export { DELETE, GET, PATCH } from "@/app/api/files/[id]/route";
export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
