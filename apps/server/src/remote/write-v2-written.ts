// A 2.0 sender's check of the receiver's X-Prometheus-Remote-Write-Samples-Written header (the
// spec makes it mandatory). A 1.0-only receiver ignores the Content-Type, decodes the 2.0 body
// as an empty WriteRequest (its fields 4 and 5 are unknown there) and answers 2xx without the
// header: without this check every sample would be lost silently.
import type { IncomingHttpHeaders } from 'node:http';

export const SAMPLES_WRITTEN = 'x-prometheus-remote-write-samples-written';

/** Why a 2xx to a 2.0 request with `sent` samples wrote nothing, or undefined when it wrote some. */
export function nothingWritten(headers: IncomingHttpHeaders, sent: number): string | undefined {
  if (sent === 0) return undefined;
  const raw = headers[SAMPLES_WRITTEN];
  if (raw === undefined) {
    return `sent a remote write 2.0 request with ${sent} samples; the receiver answered 2xx without an X-Prometheus-Remote-Write-Samples-Written header, so it likely speaks only remote write 1.0 and ignored the request (set protobuf_message: prometheus.WriteRequest for it)`;
  }
  if (Number(String(raw)) === 0) return `sent a remote write 2.0 request with ${sent} samples; the receiver answered 2xx but its X-Prometheus-Remote-Write-Samples-Written header says 0 were written`;
  return undefined;
}
