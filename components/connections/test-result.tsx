"use client";

import { AlertIcon, CheckIcon, XIcon } from "@/components/ui/icons";
import { RelativeTime } from "@/components/ui/relative-time";
import { classifyTestFailure } from "@/lib/connections/test-failure";
import type { ConnectionTestResult } from "@/lib/dashboard/views";

function Dismiss({ onDismiss }: { onDismiss: () => void }) {
  return (
    <button type="button" onClick={onDismiss} aria-label="Dismiss test result" className="rounded p-0.5 text-current opacity-60 hover:opacity-100">
      <XIcon className="size-3.5" />
    </button>
  );
}

/** What happened, in words, then what the S3 call said word for word. */
export function TestResult({ result, testedAt, onDismiss }: { result: ConnectionTestResult; testedAt: string; onDismiss: () => void }) {
  if (!result.ok) {
    const failure = classifyTestFailure(result);
    return (
      <div
        role="status"
        data-testid="test-result"
        data-ok="false"
        data-failure={failure.kind}
        className="rounded-lg border border-red-200 bg-red-50 px-3.5 py-3 text-[13px] text-red-800"
      >
        <div className="flex flex-wrap items-center gap-2">
          <AlertIcon className="size-4 shrink-0 text-red-600" />
          <span className="font-medium">Test failed: {failure.title}</span>
          <span className="ml-auto flex items-center gap-2 text-xs text-red-700">
            <RelativeTime iso={testedAt} />
            <Dismiss onDismiss={onDismiss} />
          </span>
        </div>
        <p className="mt-1.5 text-red-900">{failure.hint}</p>
        <pre className="mt-2 font-mono text-xs break-words whitespace-pre-wrap text-red-900">{result.message}</pre>
      </div>
    );
  }
  const isBucket = result.checked === "bucket";
  const names = isBucket ? result.sample : result.buckets;
  return (
    <div role="status" data-testid="test-result" data-ok="true" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3.5 py-3 text-[13px] text-emerald-900">
      <div className="flex flex-wrap items-center gap-2">
        <CheckIcon className="size-4 shrink-0 text-emerald-600" />
        <span className="font-medium">
          {isBucket ? (
            <>
              Listed bucket <code className="font-mono">{result.bucket}</code>: {result.objects === 0 ? "empty" : `${result.objects}${result.objects >= 5 ? "+" : ""} object${result.objects === 1 ? "" : "s"}`}
            </>
          ) : (
            <>
              Endpoint answered: {result.buckets.length} bucket{result.buckets.length === 1 ? "" : "s"}
            </>
          )}
        </span>
        <span className="ml-auto flex items-center gap-2 text-xs text-emerald-800">
          <RelativeTime iso={testedAt} />
          <Dismiss onDismiss={onDismiss} />
        </span>
      </div>
      {names.length > 0 ? (
        <ul className="mt-2 flex flex-wrap gap-1.5" aria-label={isBucket ? "Sample objects" : "Buckets"}>
          {names.map((name) => (
            <li key={name} className="max-w-full truncate rounded border border-emerald-200 bg-white px-1.5 py-0.5 font-mono text-xs text-emerald-900" title={name}>
              {name}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
