// Counts one delivery answer without delaying it: the request now, the body's bytes as the client reads them
// (a Range answer counts its range, HEAD and 304 count no bytes, an aborted download counts what was sent).
import { deliveryCounter, type DeliveryTarget } from "./delivery-counter";

export function countDelivery(response: Response, target: DeliveryTarget): Response {
  const counter = deliveryCounter();
  counter.countRequest(target);
  if (!response.body) return response;
  const reader = response.body.getReader();
  let ahead: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await (ahead ?? reader.read());
        if (done) {
          controller.close();
          return;
        }
        // The store's stream keeps flowing while this chunk goes out; it counts only once the client takes it.
        ahead = reader.read();
        ahead.catch(() => undefined);
        counter.countBytes(target, value.byteLength);
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // Nothing queued here: bytes are counted as the client takes them, not as the store offers them.
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
