/**
 * The file name a `content-disposition` header gives, or `fallback`: `filename*=UTF-8''…`
 * first (RFC 6266 prefers it), then `filename="…"` or a bare `filename=…`. Only the last part
 * of anything that looks like a path is kept.
 */
export function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const base = (name: string | undefined) => name?.split(/[\\/]/).pop()?.trim() || undefined;
  const extended = /filename\*\s*=\s*utf-8'[^']*'([^;\s]+)/i.exec(header);
  if (extended) {
    try {
      const name = base(decodeURIComponent(extended[1]!));
      if (name) return name;
    } catch {
      // Badly encoded: the plain parameter, when there is one, says it too.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  if (!plain) return fallback;
  return base(plain[1] === undefined ? plain[2] : plain[1].replace(/\\(.)/g, '$1')) ?? fallback;
}

/**
 * Saves a fetched file the way a download link would. The route needs the bearer token, so a
 * plain `<a href>` cannot fetch it: the body goes through a Blob URL and a link to that.
 */
export async function saveResponse(response: Response, fallback: string): Promise<void> {
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: attachmentName(response.headers.get('content-disposition'), fallback) });
  link.click();
  // The click only starts the download, which reads the Blob afterwards: revoking at once can cut it short.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
