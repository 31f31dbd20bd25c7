import { Problem, type UploadedBody, type UploadSpec } from '@streaming-companion/sdk';
import type { Context } from 'koa';

/**
 * The raw body of an `upload` route, checked before a byte is kept: its `Content-Type` must be
 * one the route takes, and it is read only up to `maxBytes` (a declared `Content-Length` over
 * that is refused unread). The global body parser reads JSON only, so this stream is untouched.
 */
export async function readUpload(ctx: Context, spec: UploadSpec): Promise<UploadedBody> {
  const mediaType = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  if (!spec.mediaTypes.includes(mediaType)) {
    throw fieldProblem(415, 'unsupported_media_type', 'Content-Type', `must be one of ${spec.mediaTypes.join(', ')}${mediaType ? `, not ${mediaType}` : ''}`);
  }
  const encoding = ctx.get('content-encoding').trim().toLowerCase();
  if (encoding && encoding !== 'identity') throw fieldProblem(415, 'unsupported_media_type', 'Content-Encoding', 'send the file as is, not encoded');
  const tooBig = () => {
    // What the client is still sending is left unread: the connection closes after the answer.
    ctx.set('connection', 'close');
    return fieldProblem(413, 'body_too_large', 'body', `must be at most ${spec.maxBytes} bytes`);
  };
  if (Number(ctx.get('content-length') || 0) > spec.maxBytes) throw tooBig();

  const chunks: Buffer[] = [];
  let size = 0;
  try {
    // Not destroyed on leaving early: that would cut the socket before the 413 is answered.
    for await (const chunk of ctx.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > spec.maxBytes) throw tooBig();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof Problem) throw error;
    throw fieldProblem(400, 'bad_request', 'body', 'the upload was cut off before its end');
  }
  if (size === 0) throw fieldProblem(400, 'validation_failed', 'body', 'is empty: send the file as the body');
  return { bytes: new Uint8Array(Buffer.concat(chunks, size)), mediaType };
}

function fieldProblem(status: number, code: string, field: string, message: string): Problem {
  return new Problem(status, code, `${field}: ${message}`, { errors: [{ field, rule: code, message }] });
}
