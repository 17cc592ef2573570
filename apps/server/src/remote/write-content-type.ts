// Which protobuf message a remote-write request carries, from its Content-Type (as Prometheus 3
// decides it): no header or no proto parameter means 1.0; anything but application/x-protobuf,
// or a proto message this receiver does not speak, is 415 Unsupported Media Type.
import { parseMediaType } from '@promethium/exposition';

export const PROTO_V1 = 'prometheus.WriteRequest';
export const PROTO_V2 = 'io.prometheus.write.v2.Request';
export type WriteProto = typeof PROTO_V1 | typeof PROTO_V2;

export type ContentTypeResult = { proto: WriteProto } | { error: string };

export function parseWriteContentType(header: string | undefined): ContentTypeResult {
  if (header === undefined || header.trim() === '') return { proto: PROTO_V1 };
  const { type, params } = parseMediaType(header);
  if (type !== 'application/x-protobuf') return { error: `unsupported Content-Type "${header}", expected application/x-protobuf` };
  const proto = params.get('proto') ?? PROTO_V1;
  if (proto === PROTO_V1 || proto === PROTO_V2) return { proto };
  return { error: `unsupported proto message "${proto}" in Content-Type, expected ${PROTO_V1} or ${PROTO_V2}` };
}

/** Only snappy is defined by both specs; no header is taken as snappy (1.0 senders omit it). */
export function checkContentEncoding(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '' || header.trim().toLowerCase() === 'snappy') return undefined;
  return `unsupported Content-Encoding "${header}", expected snappy`;
}
