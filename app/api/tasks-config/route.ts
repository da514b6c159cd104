// GET /api/tasks-config — task kinds, their options and availability (always a bare object, as the SDKs read it)
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { describeTaskKinds } from "@/lib/tasks/config";

export const GET = withApi(async () => ({ status: 200, body: await describeTaskKinds(), headers: {} }));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
