// GET/PATCH/DELETE /api/sources/{id} — A-generation names for one source file
export { DELETE, GET, PATCH } from "@/app/api/files/[id]/route";
