// the authority runs to the first "/" (or space); its userinfo ends at the LAST "@" in it, as URL parsers and
// ffmpeg read it, so a password with "@" in it is hidden whole
const CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^/\s]*)@/gi;

/** Hides user and password in every URL in `text` (rtsp://admin:secret@cam/ -> rtsp://***@cam/). */
export function redactUrl(text: string): string {
  return text.replace(CREDENTIALS, '$1***@');
}
