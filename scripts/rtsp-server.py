#!/usr/bin/python3
"""Serve video files as live RTSP cameras on 127.0.0.1, looping forever (demo camera and test fixtures).

  /usr/bin/python3 scripts/rtsp-server.py --port 8554 demo=var/demo/demo.mp4 [lobby=other.mp4 ...] [--user u --password p]

Each mount is one shared live stream: `ffmpeg -re -stream_loop -1 -c copy` feeds MPEG-TS into GStreamer's RTSP
server, so timestamps keep increasing across loops and no frame is re-encoded. Prints `READY <url> ...` once
listening and `MEDIA <name> <epoch ms>` when a mount's loop starts. With `--mark S --period P` it also prints
`MARK <name> <epoch ms>` each time the frame at S seconds into a P-second clip leaves the payloader (a scripted
onset as the camera sends it, for latency benchmarks). Needs Debian's gir1.2-gst-rtsp-server-1.0, python3-gi and gstreamer1.0-plugins-{base,good,bad}.
"""
import argparse
import os
import signal
import subprocess
import sys
import threading
import time

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

children: set = set()


class LoopingFileFactory(GstRtspServer.RTSPMediaFactory):
    def __init__(self, name: str, path: str, mark: tuple = None):
        super().__init__()
        self.name = name
        self.path = path
        self.mark = mark
        self.set_shared(True)

    def do_create_element(self, url):
        return Gst.parse_launch('( appsrc name=src is-live=true do-timestamp=true format=time '
                                '! tsdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )')

    def do_configure(self, media):
        src = media.get_element().get_by_name('src')
        if self.mark:
            self.watch_mark(media.get_element().get_by_name('pay0').get_static_pad('src'))
        proc = subprocess.Popen(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-stream_loop', '-1',
                                 '-i', self.path, '-an', '-c:v', 'copy', '-f', 'mpegts', 'pipe:1'], stdout=subprocess.PIPE)
        children.add(proc)
        # wall-clock start of the loop, so a benchmark can tell when a scripted onset went out (-re: real time)
        print(f'MEDIA {self.name} {time.time() * 1000:.0f}', flush=True)

        def pump():
            try:
                while True:
                    data = proc.stdout.read(188 * 64)
                    if not data or src.emit('push-buffer', Gst.Buffer.new_wrapped(data)) != Gst.FlowReturn.OK:
                        break
            finally:
                proc.kill()
                proc.wait()
                children.discard(proc)

        threading.Thread(target=pump, daemon=True).start()

    def watch_mark(self, pad) -> None:
        at, period = self.mark
        state = {'first': None, 'last': -1}

        def probe(_pad, info):
            pts = info.get_buffer().pts
            if pts == Gst.CLOCK_TIME_NONE:
                return Gst.PadProbeReturn.OK
            if state['first'] is None:
                state['first'] = pts
            media_s = (pts - state['first']) / Gst.SECOND
            loop = int((media_s - at) // period) if media_s >= at else -1
            if loop > state['last']:
                state['last'] = loop
                print(f'MARK {self.name} {time.time() * 1000:.0f}', flush=True)
            return Gst.PadProbeReturn.OK

        pad.add_probe(Gst.PadProbeType.BUFFER, probe)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', default='8554')
    ap.add_argument('--user', help='require RTSP basic authentication with this user (and --password)')
    ap.add_argument('--password', default='')
    ap.add_argument('--mark', type=float, help='print MARK lines when the frame this many seconds into each loop is sent')
    ap.add_argument('--period', type=float, help='length of one loop of the clip in seconds (with --mark)')
    ap.add_argument('mounts', nargs='+', metavar='name=file.mp4')
    args = ap.parse_args()
    if args.mark is not None and not (args.period and args.period > 0):
        ap.error('--mark needs --period, the length of the clip in seconds')
    mark = (args.mark, args.period) if args.mark is not None else None
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))
    if args.user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string('media.factory.role', 'viewer')
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
        server.set_auth(auth)
    urls = []
    for spec in args.mounts:
        name, sep, path = spec.partition('=')
        if not sep or not name or not os.path.isfile(path):
            sys.exit(f'bad mount "{spec}": expected name=path/to/existing/file.mp4')
        factory = LoopingFileFactory(name, os.path.abspath(path), mark)
        if args.user:
            role = Gst.Structure.from_string('viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true')[0]
            factory.add_role_from_structure(role)
        server.get_mount_points().add_factory(f'/{name}', factory)
        urls.append(f'rtsp://{args.host}:{args.port}/{name}')
    if server.attach(None) == 0:
        sys.exit(f'cannot listen on {args.host}:{args.port}; is the port in use?')
    print('READY ' + ' '.join(urls), flush=True)
    loop = GLib.MainLoop()

    def stop(*_):
        loop.quit()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    GLib.timeout_add(200, lambda: True)  # wake the main loop so Python signal handlers run
    loop.run()
    for proc in list(children):
        proc.kill()
        proc.wait()


if __name__ == '__main__':
    main()
