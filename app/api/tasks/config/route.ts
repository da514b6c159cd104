// GET /api/tasks/config — alias of /api/tasks-config
import { methodsNotAllowed } from "@/lib/api/with-api";

export { GET } from "@/app/api/tasks-config/route";
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
