"use client";

import { Button } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="flex flex-col items-center rounded-xl border border-zinc-200 bg-white px-6 py-14 text-center">
      <div className="flex size-10 items-center justify-center rounded-lg bg-red-50 text-red-600">
        <AlertIcon className="size-5" />
      </div>
      <h1 className="mt-4 text-sm font-semibold text-zinc-900">This page could not be loaded</h1>
      <p className="mt-1.5 max-w-md text-[13px] text-zinc-500">
        The server ran into an error. Try again; if it keeps happening, the server log has the details
        {error.digest ? (
          <>
            {" "}
            under <code className="font-mono text-xs">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <Button className="mt-5" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
