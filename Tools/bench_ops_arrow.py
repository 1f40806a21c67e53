"""Anchor side of `cvtool bench arrow` (picked up by Tools/bench): pyarrow writing the same
worker table (path, label, features fixed_size_list<float32>[324], error; 60,000 rows, an
error row every 97th) as an Arrow IPC stream and file, with pyarrow's defaults, in the two ways
users write it:
- to a file (`pa.OSFile`, cvtool: the atomic `-o table.arrow` path), both in the same folder
  (BENCH_DIR: /dev/shm when it exists, so a disk's speed does not enter);
- in memory (a fresh `BufferOutputStream` from pyarrow's pooled allocator; cvtool: one buffer
  reused run after run).
The table is built from NumPy outside the timing, as cvtool's op builds its batch outside it.
"""
import atexit
import functools
import os
import tempfile
import sys
from pathlib import Path

import numpy as np

try:
    import pyarrow as pa
except ImportError:
    # The anchors' venv (Tools/.venv) has no pyarrow; the Spark venv (Tools/spark-venv.sh) has.
    # Appended, so numpy and the rest still come from the anchors' venv.
    sys.path.append(str(Path(__file__).resolve().parent / ".venv-spark" / "lib"
                        / ("python%d.%d" % sys.version_info[:2]) / "site-packages"))
    import pyarrow as pa

ROWS, FEATURES = 60_000, 324
BENCH_DIR = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
# The files both sides leave in BENCH_DIR (82 MB each) are removed when the bench ends.
_OUTPUTS = [os.path.join(BENCH_DIR, "%s-bench.%s" % (who, ext)) for who in ("cvtool", "pyarrow")
            for ext in ("arrow", "arrows")]
atexit.register(lambda: [os.remove(p) for p in _OUTPUTS if os.path.exists(p)])
IMAGES = ["coffee-1080p.png"]   # ignored by both sides: one row per thread count


@functools.lru_cache(maxsize=1)
def table(rows=ROWS, d=FEATURES):
    """The values ArrowBenchOps.table gives: row i is images/class{i%10}/{i:06}.png,
    features (i*d + j) % 1000 / 1000, an error row (null features) every 97th row."""
    i = np.arange(rows)
    error_row = i % 97 == 96
    values = ((np.arange(rows * d, dtype=np.int64) % 1000) / 1000).astype(np.float32).reshape(rows, d)
    values[error_row] = 0
    paths = ["images/class%d/%06d.png" % (k % 10, k) for k in range(rows)]
    # A null row's values are null in the child too, as pa.array makes them from Python
    # lists with None (Tools/fixtures_arrow.py) and as ArrowIPC writes them.
    features = pa.FixedSizeListArray.from_arrays(pa.array(values.ravel(), mask=np.repeat(error_row, d)), d,
                                                 mask=pa.array(error_row))
    schema = pa.schema([pa.field("path", pa.utf8(), nullable=False), pa.field("label", pa.utf8()),
                        pa.field("features", pa.list_(pa.float32(), d)), pa.field("error", pa.utf8())])
    return pa.table([pa.array(paths), pa.array(["class%d" % (k % 10) for k in range(rows)]), features,
                     pa.array([p + ": not a PNG file" if e else None for p, e in zip(paths, error_row)])],
                    schema=schema)


def _writer(new, to_file):
    def make(rgb):
        t = table()
        path = os.path.join(BENCH_DIR, "pyarrow-bench." + ("arrow" if new is pa.ipc.new_file else "arrows"))

        def run():
            if to_file:
                with pa.OSFile(path, "wb") as sink, new(sink, t.schema) as w:
                    w.write_table(t)
                return None
            sink = pa.BufferOutputStream()
            with new(sink, t.schema) as w:
                w.write_table(t)
            return sink.getvalue()
        return run
    return make


LABEL = "Arrow IPC %s %s, 60000 x 324 float32 + path/label/error"
OPS = [
    {"op": "arrow", "args": ["--form", form, "--to", BENCH_DIR if to_file else "memory"],
     "label": LABEL % (form, ("to " + BENCH_DIR) if to_file else "in memory"),
     "anchor": "pyarrow", "images": IMAGES, "make": _writer(new, to_file)}
    for to_file in (True, False) for form, new in (("stream", pa.ipc.new_stream), ("file", pa.ipc.new_file))
]


def check(cvtool, image):
    """Both sides write the same bytes, per form: what `cvtool bench arrow --to DIR` writes in
    its timed runs and what `--save` writes, against pyarrow's in memory and through
    `pa.OSFile`. Run with any Python that has pyarrow (Tools/.venv-spark/bin/python):
      python Tools/bench_ops_arrow.py --check .build/release/cvtool Fixtures/images/camera.png"""
    import subprocess
    t = table()
    for form, new, ext in (("stream", pa.ipc.new_stream, "arrows"), ("file", pa.ipc.new_file, "arrow")):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([cvtool, "bench", "arrow", image, "--repeat", "1", "--form", form, "--to", tmp,
                            "--save", tmp + "/saved." + ext], check=True, capture_output=True)
            ours = {"timed": open(tmp + "/cvtool-bench." + ext, "rb").read(),
                    "saved": open(tmp + "/saved." + ext, "rb").read()}
            sink = pa.BufferOutputStream()
            with new(sink, t.schema) as w:
                w.write_table(t)
            theirs = sink.getvalue().to_pybytes()
            with pa.OSFile(tmp + "/pyarrow." + ext, "wb") as f, new(f, t.schema) as w:
                w.write_table(t)
            if open(tmp + "/pyarrow." + ext, "rb").read() != theirs:
                print("%s: pyarrow's file and memory bytes differ" % form)
                return 1
        for what, b in ours.items():
            print("%s (%s): %d bytes, %s" % (form, what, len(b), "identical to pyarrow's" if b == theirs else
                                             "DIFFERENT from pyarrow's %d bytes" % len(theirs)))
            if b != theirs:
                return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    sys.exit("usage: bench_ops_arrow.py --check CVTOOL IMAGE")
