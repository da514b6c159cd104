import type { Metadata } from "next";
import { MediaLibrary } from "@/components/media/media-library";
import { PageHeader } from "@/components/ui/page-header";
import { currentProject } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/dashboard/origin";
import { listMediaLibrary } from "@/lib/dashboard/queries";
import { env } from "@/lib/env";
import { directUploadsEnabled } from "@/lib/uploads/s3-direct";

export const metadata: Metadata = { title: "Media" };

export default async function MediaPage() {
  const { project, scope } = await currentProject();
  const origin = await publicOrigin();
  const initial = await listMediaLibrary(scope, origin);
  const curl = [
    `curl -X POST ${origin}/api/uploads \\`,
    `  -H "Authorization: Bearer YOUR_API_KEY"`,
    `# answers {"data": {"url": "${origin}/u/…", …}}; then:`,
    `curl -F file=@video.mp4 "UPLOAD_URL"`,
  ].join("\n");
  return (
    <>
      <PageHeader title="Media" description={<>Videos, audio and images in {project.name}, newest first. Drop files anywhere on this page to upload them.</>} />
      <MediaLibrary projectId={project.id} maxFileBytes={env().MEDIABIT_MAX_FILE_BYTES} transport={directUploadsEnabled() ? "s3" : "tus"} initial={initial} curl={curl} />
    </>
  );
}
