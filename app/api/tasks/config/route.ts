// GET /api/tasks/config — alias of /api/tasks-config
export { GET } from "@/app/api/tasks-config/route";
