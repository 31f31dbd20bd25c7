/**
 * Copies `text`; true when it worked. Without clipboard access (a plain-http LAN address, an
 * older browser) it selects `input` instead so Ctrl+C copies it, and answers false.
 */
export async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input?.focus();
    input?.select();
    return false;
  }
}
