const CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/gi;

/** Hides user and password in every URL in `text` (rtsp://admin:secret@cam/ -> rtsp://***@cam/). */
export function redactUrl(text: string): string {
  return text.replace(CREDENTIALS, '$1***@');
}
