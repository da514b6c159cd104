"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { DropOverlay } from "@/components/media/drop-overlay";
import { formatBytes } from "@/components/media/format";
import { UploadIcon } from "@/components/media/icons";
import { MediaList } from "@/components/media/media-list";
import type { UploadTransport } from "@/components/media/transport";
import { UploadPanel } from "@/components/media/upload-panel";
import { ACCEPTED_TYPES } from "@/components/media/upload-errors";
import { uploaderFor, type MediaUppy } from "@/components/media/uploader";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/field";
import { FolderIcon } from "@/components/ui/icons";
import { listMediaAction } from "@/lib/dashboard/actions/uploads";
import type { MediaItemView } from "@/lib/dashboard/queries";

type MediaPage = { items: MediaItemView[]; total: number };

type MediaLibraryProps = {
  projectId: string;
  maxFileBytes: number;
  transport: UploadTransport;
  initial: MediaPage;
  /** The API way in, for the empty state: POST /api/uploads with this server's origin. */
  curl: string;
};

const POLL_MS = 2000;
const REFUSALS_SHOWN = 5;

function isSettling(page: MediaPage | undefined): boolean {
  return page?.items.some((item) => item.status === "processing" || item.status === "waiting") ?? false;
}

export function MediaLibrary({ projectId, maxFileBytes, transport, initial, curl }: MediaLibraryProps) {
  const queryClient = useQueryClient();
  const queryKey = ["media", projectId];
  const [uppy, setUppy] = useState<MediaUppy | null>(null);
  const awaitingServer = useAwaitingServer(uppy, () => void queryClient.invalidateQueries({ queryKey: ["media", projectId] }));
  const list = useQuery({
    queryKey,
    queryFn: async (): Promise<MediaPage> => {
      const result = await listMediaAction({ projectId });
      if (!result.ok) throw new Error(result.error);
      return { items: result.items, total: result.total };
    },
    initialData: initial,
    // While files are with the server and until every item has settled, so a new upload turns ready without a reload.
    refetchInterval: (query) => (awaitingServer > 0 || isSettling(query.state.data) ? POLL_MS : false),
  });

  const [refusals, setRefusals] = useState<string[]>([]);
  const [folder, setFolder] = useState("");
  useEffect(() => {
    // Created in the browser only: golden retriever reads IndexedDB as it starts.
    setUppy(
      uploaderFor(
        { projectId, maxFileBytes, transport },
        {
          onRefused: (message) => setRefusals((shown) => [...shown.slice(-(REFUSALS_SHOWN - 1)), message]),
          onUploaded: () => void queryClient.invalidateQueries({ queryKey: ["media", projectId] }),
        },
      ),
    );
  }, [projectId, maxFileBytes, transport, queryClient]);
  const addFiles = useCallback(
    (files: File[]) => {
      if (!uppy) return;
      const current = Object.values(uppy.getState().files);
      // A new batch after everything finished starts a clean list; the finished ones are in the media list now.
      if (current.length > 0 && current.every((file) => file.progress.uploadComplete)) uppy.removeFiles(current.map((file) => file.id));
      try {
        // The folder goes on each file as it is added (not Uppy's setMeta, which would move files already listed).
        const meta = { folder: folder.trim() || undefined };
        uppy.addFiles(files.map((file) => ({ name: file.name, type: file.type, data: file, source: "media-page", meta })));
      } catch {
        // Each refused file was already reported through restriction-failed.
      }
    },
    [uppy, folder],
  );

  const picker = useRef<HTMLInputElement>(null);
  const page = list.data;
  return (
    <>
      <DropOverlay onFiles={addFiles} folder={folder.trim()} />
      <div className="mb-4 flex flex-wrap items-end gap-3">
        <label className="block min-w-0 flex-1 sm:max-w-xs">
          <span className="mb-1 flex items-center gap-1.5 text-[13px] font-medium text-zinc-700">
            <FolderIcon className="size-3.5 shrink-0 text-zinc-400" />
            <span>
              Folder for the next uploads <span className="font-normal text-zinc-500">(optional)</span>
            </span>
          </span>
          <Input value={folder} onChange={(event) => setFolder(event.target.value)} placeholder="e.g. videos/2026" maxLength={512} />
        </label>
        <input
          ref={picker}
          type="file"
          multiple
          accept={ACCEPTED_TYPES.join(",")}
          className="sr-only"
          tabIndex={-1}
          aria-label="Choose files to upload"
          data-testid="file-picker"
          onChange={(event) => {
            addFiles(Array.from(event.target.files ?? []));
            event.target.value = "";
          }}
        />
        <Button variant="primary" onClick={() => picker.current?.click()} disabled={!uppy}>
          <UploadIcon className="size-4" /> Upload files
        </Button>
      </div>
      {list.isError ? (
        <p role="alert" className="mb-4 text-[13px] text-red-600">
          Could not refresh the list: {list.error.message}
        </p>
      ) : null}
      {uppy ? <UploadPanel uppy={uppy} refusals={refusals} onDismissRefusal={(index) => setRefusals((shown) => shown.filter((_, i) => i !== index))} /> : null}
      {page.items.length === 0 ? <EmptyLibrary curl={curl} maxFileBytes={maxFileBytes} /> : <MediaList items={page.items} total={page.total} />}
    </>
  );
}

/**
 * How many files have sent their last byte and await the server's answer (it checks and stores them meanwhile, and
 * lists them as processing); `onAllSent` fires as each gets there, so the list can show it at once.
 */
function useAwaitingServer(uppy: MediaUppy | null, onAllSent: () => void): number {
  const [count, setCount] = useState(0);
  const notify = useRef(onAllSent);
  useEffect(() => {
    notify.current = onAllSent;
  });
  useEffect(() => {
    if (!uppy) return;
    const waiting = new Set<string>();
    const onProgress = (file: { id: string } | undefined, progress: { bytesUploaded: number; bytesTotal: number | null }) => {
      if (!file || !progress.bytesTotal || progress.bytesUploaded < progress.bytesTotal || waiting.has(file.id)) return;
      waiting.add(file.id);
      setCount(waiting.size);
      notify.current();
    };
    const onAnswered = (file: { id: string } | undefined) => {
      if (file && waiting.delete(file.id)) setCount(waiting.size);
    };
    uppy.on("upload-progress", onProgress);
    uppy.on("upload-success", onAnswered);
    uppy.on("upload-error", onAnswered);
    uppy.on("file-removed", onAnswered);
    return () => {
      uppy.off("upload-progress", onProgress);
      uppy.off("upload-success", onAnswered);
      uppy.off("upload-error", onAnswered);
      uppy.off("file-removed", onAnswered);
    };
  }, [uppy]);
  return count;
}

function EmptyLibrary({ curl, maxFileBytes }: { curl: string; maxFileBytes: number }) {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-5 py-10 sm:px-8" data-testid="media-empty">
      <div className="mx-auto flex max-w-lg flex-col items-center text-center">
        <div className="flex size-10 items-center justify-center rounded-lg border border-zinc-200 bg-zinc-50 text-zinc-500">
          <UploadIcon className="size-5" />
        </div>
        <h2 className="mt-4 text-sm font-semibold text-zinc-900">No media yet</h2>
        <p className="mt-1.5 text-[13px] leading-relaxed text-zinc-500">
          Drag videos, audio or images anywhere on this page, or press <span className="font-medium text-zinc-700">Upload files</span>. Uploads
          resume where they stopped if the connection drops or the page reloads. Files up to {formatBytes(maxFileBytes)}.
        </p>
      </div>
      <div className="mx-auto mt-6 max-w-lg">
        <div className="flex items-center justify-between gap-2">
          <p className="text-xs font-medium text-zinc-500">Or from your app: ask for an upload URL, then send the file to it</p>
          <CopyButton value={curl} label="Copy the commands" />
        </div>
        <pre className="mt-1.5 rounded-lg bg-zinc-900 px-4 py-3 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap text-zinc-100 sm:whitespace-pre" data-testid="media-empty-curl">
          {curl}
        </pre>
      </div>
    </div>
  );
}
