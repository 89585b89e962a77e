"""What a training run's numbers depend on besides the code, seed and data: the same command repeats itself
epoch for epoch on one machine, but another CPU's vector units or another BLAS rounds differently, and a
difference in the last bit grows into a different model over an epoch."""
import os
import platform

import torch

VECTOR_UNITS = ('avx512f', 'avx2', 'avx', 'neon', 'asimd')


def _cpu() -> tuple[str, str]:
    model, flags = platform.processor() or platform.machine(), set()
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                key, _, value = line.partition(':')
                if key.strip() in ('model name', 'Model') and value.strip():
                    model = value.strip()
                elif key.strip() in ('flags', 'Features'):
                    flags = set(value.split())
    except OSError:
        pass
    return model, next((v for v in VECTOR_UNITS if v in flags), 'no vector unit listed')


def _blas() -> str:
    """The BLAS shared library this process has loaded (Debian's alternatives pick it at install time)."""
    try:
        with open('/proc/self/maps') as f:
            libs = {line.split()[-1] for line in f if 'blas' in line.rsplit('/', 1)[-1]}
    except OSError:
        return 'unknown BLAS'
    core = sorted(p for p in libs if 'openblas' in os.path.basename(p)) or sorted(libs)
    return os.path.relpath(core[0], '/usr/lib') if core else 'no BLAS loaded'


def describe(threads: int) -> str:
    model, vector = _cpu()
    return f'{platform.machine()} {os.cpu_count()} cpu ({model}, {vector}), torch {torch.__version__}, {threads} threads, BLAS {_blas()}'
