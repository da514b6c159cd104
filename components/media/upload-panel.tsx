"use client";

import { useUppyState } from "@uppy/react";
import { formatBytes } from "@/components/media/format";
import { PauseIcon, PlayIcon, RetryIcon } from "@/components/media/icons";
import { canRetry, type MediaFile, type MediaUppy } from "@/components/media/uploader";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { AlertIcon, CheckIcon, XIcon } from "@/components/ui/icons";

type FileState = "waiting" | "uploading" | "paused" | "checking" | "done" | "failed" | "missing";

function stateOf(file: MediaFile): FileState {
  if (file.error) return "failed";
  // The bytes are up and the server is still checking them (S3 direct publishes after the last part).
  if (file.progress.uploadComplete && file.progress.postprocess && !file.progress.complete) return "checking";
  if (file.progress.uploadComplete) return "done";
  // Restored after a reload without its bytes (the browser kept too little): only choosing it again can resume.
  if (file.isGhost) return "missing";
  if (file.isPaused) return "paused";
  return file.progress.uploadStarted ? "uploading" : "waiting";
}

function uploadedBytes(file: MediaFile): number {
  if (file.progress.uploadComplete) return file.size ?? 0;
  return file.progress.bytesUploaded || 0;
}

function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
}

function ProgressBar({ value, tone, label }: { value: number; tone: "indigo" | "emerald" | "red" | "zinc"; label: string }) {
  const colour = { indigo: "bg-indigo-500", emerald: "bg-emerald-500", red: "bg-red-400", zinc: "bg-zinc-300" }[tone];
  return (
    <div className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-100" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value}>
      <div className={cn("h-full rounded-full transition-[width] duration-300", colour)} style={{ width: `${value}%` }} />
    </div>
  );
}

function statusText(state: FileState, file: MediaFile, value: number): string {
  switch (state) {
    case "failed":
      return file.error ?? "The upload failed.";
    case "checking":
      return file.progress.postprocess?.message ?? "Checking the file…";
    case "done":
      return "Uploaded";
    case "missing":
      return "Add this file again to resume its upload.";
    case "paused":
      return `Paused at ${value}%`;
    case "uploading":
      // Every byte is sent: the server is checking and storing the file before it answers.
      if (value === 100) return "Sent; the server is checking the file…";
      return `${value}% · ${formatBytes(uploadedBytes(file))} of ${formatBytes(file.size ?? 0)}`;
    case "waiting":
      return "Waiting to start";
  }
}

function FileRow({ uppy, file }: { uppy: MediaUppy; file: MediaFile }) {
  const state = stateOf(file);
  const value = percent(uploadedBytes(file), file.size ?? 0);
  const tone = state === "failed" ? "red" : state === "done" ? "emerald" : state === "paused" || state === "missing" ? "zinc" : "indigo";
  return (
    <li data-testid="upload-row" data-state={state} data-file-name={file.name} className="px-4 py-3">
      <div className="flex items-center gap-3">
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-1.5">
            {state === "done" ? <CheckIcon className="size-3.5 shrink-0 text-emerald-600" /> : null}
            {state === "failed" ? <AlertIcon className="size-3.5 shrink-0 text-red-600" /> : null}
            <span className="truncate text-[13px] font-medium text-zinc-900" title={file.name}>
              {file.meta.folder ? <span className="font-normal text-zinc-500">{file.meta.folder}/</span> : null}
              {file.name}
            </span>
          </div>
          <p
            className={cn("mt-0.5 text-xs", state === "failed" ? "text-red-600" : "text-zinc-500")}
            role={state === "failed" ? "alert" : undefined}
            data-testid="upload-status"
          >
            {statusText(state, file, value)}
          </p>
        </div>
        <div className="flex shrink-0 items-center gap-0.5">
          {state === "uploading" || state === "waiting" ? (
            <Button size="sm" variant="ghost" onClick={() => uppy.pauseResume(file.id)} aria-label={`Pause ${file.name}`}>
              <PauseIcon className="size-3.5" />
              <span className="hidden sm:inline">Pause</span>
            </Button>
          ) : null}
          {state === "paused" ? (
            <Button size="sm" variant="ghost" onClick={() => uppy.pauseResume(file.id)} aria-label={`Resume ${file.name}`}>
              <PlayIcon className="size-3.5" />
              <span className="hidden sm:inline">Resume</span>
            </Button>
          ) : null}
          {state === "failed" && canRetry(file.id) ? (
            <Button size="sm" variant="ghost" onClick={() => void uppy.retryUpload(file.id)} aria-label={`Retry ${file.name}`}>
              <RetryIcon className="size-3.5" />
              <span className="hidden sm:inline">Retry</span>
            </Button>
          ) : null}
          {state !== "done" ? (
            <Button
              size="sm"
              variant="ghost-danger"
              onClick={() => uppy.removeFile(file.id)}
              aria-label={state === "failed" ? `Remove ${file.name}` : `Cancel ${file.name}`}
              title={state === "failed" ? "Remove from the list" : "Cancel this upload"}
            >
              <XIcon className="size-3.5" />
            </Button>
          ) : null}
        </div>
      </div>
      {state !== "done" ? (
        <div className="mt-2">
          <ProgressBar value={value} tone={tone} label={`${file.name} uploaded`} />
        </div>
      ) : null}
    </li>
  );
}

/** Files on their way (and those that just arrived or failed), with the total; refusals listed above them. */
export function UploadPanel({ uppy, refusals, onDismissRefusal }: { uppy: MediaUppy; refusals: string[]; onDismissRefusal: (index: number) => void }) {
  const files = Object.values(useUppyState(uppy, (state) => state.files));
  if (files.length === 0 && refusals.length === 0) return null;
  const active = files.filter((file) => !file.error);
  const total = active.reduce((sum, file) => sum + (file.size ?? 0), 0);
  const done = active.reduce((sum, file) => sum + uploadedBytes(file), 0);
  const finished = files.filter((file) => file.progress.uploadComplete).length;
  const failed = files.length - active.length;
  const isBusy = files.some((file) => !file.error && !file.progress.uploadComplete);
  return (
    <section aria-label="Uploads" className="mb-6 rounded-xl border border-zinc-200 bg-white shadow-xs">
      {refusals.length > 0 ? (
        <ul className="divide-y divide-red-100 border-b border-red-100 bg-red-50/60">
          {refusals.map((message, index) => (
            <li key={`${index}-${message}`} className="flex items-start gap-2 px-4 py-2.5 text-[13px] text-red-700" role="alert" data-testid="upload-refusal">
              <AlertIcon className="mt-0.5 size-3.5 shrink-0" />
              <span className="min-w-0 flex-1 break-words">{message}</span>
              <button type="button" onClick={() => onDismissRefusal(index)} className="shrink-0 rounded p-0.5 text-red-500 hover:bg-red-100" aria-label="Dismiss">
                <XIcon className="size-3.5" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {files.length > 0 ? (
        <>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-zinc-100 px-4 py-3">
            <div className="min-w-0 flex-1">
              <div className="text-[13px] font-medium text-zinc-900" data-testid="upload-total">
                {isBusy ? `Uploading ${files.length === 1 ? "1 file" : `${files.length} files`} · ${percent(done, total)}%` : `${finished} of ${files.length} uploaded`}
                {failed > 0 ? <span className="text-red-600"> · {failed} failed</span> : null}
              </div>
              <div className="mt-1.5 max-w-md">
                <ProgressBar value={percent(done, total)} tone={isBusy ? "indigo" : "emerald"} label="All uploads" />
              </div>
            </div>
            {finished > 0 && !isBusy ? (
              <Button size="sm" variant="ghost" onClick={() => files.filter((f) => f.progress.uploadComplete).forEach((f) => uppy.removeFile(f.id))}>
                Clear finished
              </Button>
            ) : null}
          </div>
          <ul className="divide-y divide-zinc-100">
            {files.map((file) => (
              <FileRow key={file.id} uppy={uppy} file={file} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
