// Which way the bytes go, decided in one place: tus through this server (any store), or straight to the S3 bucket
// when the server says direct uploads are on (directUploadsEnabled(), passed down by the page).
import { configureS3Direct } from "@/components/media/s3-direct";
import { installTus } from "@/components/media/tus-transport";
import type { MediaUppy } from "@/components/media/uploader";

export type UploadTransport = "tus" | "s3";

type TransportContext = {
  projectId: string;
  /** A file is stored as media: its upload is over, the list can show it. */
  onPublished: () => void;
};

export function installTransport(uppy: MediaUppy, transport: UploadTransport, context: TransportContext): void {
  switch (transport) {
    case "s3":
      // Each file's folder travels in its meta (the page's folder field), which configureS3Direct reads.
      configureS3Direct(uppy, { projectId: context.projectId, onPublished: () => context.onPublished() });
      return;
    case "tus":
      installTus(uppy, { projectId: context.projectId });
      // The last PATCH answers once the file is published, so a finished tus upload is a published one.
      uppy.on("upload-success", () => context.onPublished());
      return;
  }
}
