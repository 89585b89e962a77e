"""A dependency-free progress bar for long CLI steps (Debian's python3 has no tqdm by default)."""
import sys
import time


class Progress:
    def __init__(self, total: int, label: str, stream=sys.stderr):
        self.total = max(total, 1)
        self.label = label
        self.n = 0
        self.start = time.time()
        self.stream = stream
        self.tty = stream.isatty()
        self._last = 0.0
        self._shown = -1
        self.extra = ''

    def update(self, k: int = 1, extra: str = '') -> None:
        self.n += k
        if extra:
            self.extra = extra
        now = time.time()
        if now - self._last < (0.2 if self.tty else 10.0) and self.n < self.total:
            return
        self._last = now
        self._shown = self.n
        frac = min(self.n / self.total, 1.0)
        elapsed = now - self.start
        eta = elapsed / frac - elapsed if frac > 0 else 0
        bar = '#' * int(frac * 30)
        line = f'{self.label:<22} [{bar:<30}] {self.n}/{self.total} {elapsed:5.0f}s eta {eta:4.0f}s {self.extra}'
        self.stream.write(('\r' + line) if self.tty else (line + '\n'))
        self.stream.flush()

    def close(self) -> None:
        if self._shown != self.total:
            self.n = self.total - 1
            self._last = 0
            self.update(1)
        if self.tty:
            self.stream.write('\n')
