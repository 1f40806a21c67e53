"""Anchor side of `cvtool bench arrow` (picked up by Tools/bench): pyarrow writing the same
worker table (path, label, features fixed_size_list<float32>[324], error; 60,000 rows, an
error row every 97th) to an in-memory Arrow IPC stream and file, with pyarrow's defaults.
The table is built from NumPy outside the timing, as cvtool's op builds its batch outside it.
"""
import functools
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


def _writer(new):
    def make(rgb):
        t = table()

        def run():
            sink = pa.BufferOutputStream()
            with new(sink, t.schema) as w:
                w.write_table(t)
            return sink.getvalue()
        return run
    return make


OPS = [
    {"op": "arrow", "args": ["--form", "stream"], "label": "Arrow IPC stream, 60000 x 324 float32 + path/label/error",
     "anchor": "pyarrow", "images": IMAGES, "make": _writer(pa.ipc.new_stream)},
    {"op": "arrow", "args": ["--form", "file"], "label": "Arrow IPC file, 60000 x 324 float32 + path/label/error",
     "anchor": "pyarrow", "images": IMAGES, "make": _writer(pa.ipc.new_file)},
]


def check(cvtool, image):
    """Both sides write the same bytes: `cvtool bench arrow --save` against pyarrow's, per form.
    Run with any Python that has pyarrow (Tools/.venv-spark/bin/python):
      python Tools/bench_ops_arrow.py --check .build/release/cvtool Fixtures/images/camera.png"""
    import subprocess
    import tempfile
    t = table()
    for form, new in (("stream", pa.ipc.new_stream), ("file", pa.ipc.new_file)):
        with tempfile.TemporaryDirectory() as tmp:
            out = tmp + "/ours.arrow"
            subprocess.run([cvtool, "bench", "arrow", image, "--repeat", "1", "--form", form, "--save", out],
                           check=True, capture_output=True)
            ours = open(out, "rb").read()
        sink = pa.BufferOutputStream()
        with new(sink, t.schema) as w:
            w.write_table(t)
        theirs = sink.getvalue().to_pybytes()
        print("%s: %d bytes, %s" % (form, len(ours), "identical to pyarrow's" if ours == theirs else
                                      "DIFFERENT from pyarrow's %d bytes" % len(theirs)))
        if ours != theirs:
            return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    sys.exit("usage: bench_ops_arrow.py --check CVTOOL IMAGE")
