/**
 * Fetches an export with the screen's credentials and hands it to the browser as a file: a
 * plain link would make the browser ask for a password, or carry none. Resolves with the
 * server's Vietnamese message when it refused, else undefined.
 */
export async function downloadFile(url: string, authorization: string, fallbackName: string): Promise<string | undefined> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization } });
  } catch {
    return 'Không kết nối được máy chủ.';
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    return body?.error?.message ?? `Không tải được (${res.status}).`;
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return undefined;
}
