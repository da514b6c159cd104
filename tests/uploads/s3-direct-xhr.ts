// Just enough of the browser's XMLHttpRequest, on Node's fetch, for Uppy's fetcher (@uppy/core/utils) to run the
// real @uppy/aws-s3 plugin in a test: open, headers, send (a Blob streams from disk), load/error, upload progress,
// abort, status and response headers. Everything else a browser has is left out.
type Handler = ((event: ProgressEvent) => void) | null;

class UploadTarget {
  onprogress: Handler = null;
}

export class NodeXMLHttpRequest {
  readonly upload = new UploadTarget();
  onload: Handler = null;
  onerror: Handler = null;
  withCredentials = false;
  responseType = "";
  status = 0;
  statusText = "";
  responseText = "";
  private method = "GET";
  private url = "";
  private readonly headers = new Headers();
  private responseHeaders = new Headers();
  private readonly controller = new AbortController();

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers.set(name, value);
  }

  getResponseHeader(name: string): string | null {
    return this.responseHeaders.get(name);
  }

  abort(): void {
    this.controller.abort();
  }

  send(body: Blob | string | null): void {
    const size = body === null ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.size;
    fetch(this.url, { method: this.method, headers: this.headers, body, signal: this.controller.signal }).then(
      async (response) => {
        this.upload.onprogress?.({ lengthComputable: true, loaded: size, total: size } as ProgressEvent);
        this.status = response.status;
        this.statusText = response.statusText;
        this.responseHeaders = response.headers;
        this.responseText = await response.text();
        this.onload?.({} as ProgressEvent);
      },
      () => {
        // An aborted request reports nothing, as in a browser (the fetcher rejects on abort itself).
        if (!this.controller.signal.aborted) this.onerror?.({} as ProgressEvent);
      },
    );
  }
}

/** Installs the stand-in as the global XMLHttpRequest; returns how to take it away again. */
export function installXMLHttpRequest(): () => void {
  const global = globalThis as { XMLHttpRequest?: unknown };
  const previous = global.XMLHttpRequest;
  global.XMLHttpRequest = NodeXMLHttpRequest;
  return () => {
    global.XMLHttpRequest = previous;
  };
}
