"""Arrow IPC reference files for the Swift writer (Sources/CVFormats/ArrowIPC*.swift).

Writes, with pyarrow (the oracle; Tools/spark-venv.sh makes the venv that has it):
  Fixtures/arrow/cases.json      the rows, as the Swift test reads them;
  Fixtures/arrow/<case>.arrow    the IPC file form (pa.ipc.new_file), pyarrow's defaults;
  Fixtures/arrow/<case>.arrows   the IPC stream form (pa.ipc.new_stream), pyarrow's defaults.

The table has the schema of `cvtool hog`'s worker output: path utf8 (not null), label utf8,
features fixed_size_list<float32>[d], error utf8; every case is written as its batches, in order.
Run: Tools/.venv-spark/bin/python Tools/fixtures_arrow.py
"""
import json
import os

import numpy as np
import pyarrow as pa

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Fixtures", "arrow")


def schema(d):
    return pa.schema([
        pa.field("path", pa.utf8(), nullable=False),
        pa.field("label", pa.utf8()),
        pa.field("features", pa.list_(pa.float32(), d)),
        pa.field("error", pa.utf8()),
    ])


def batch(rows, d):
    feats = [None if r["features"] is None else np.float32(r["features"]).tolist() for r in rows]
    return pa.record_batch([
        pa.array([r["path"] for r in rows], pa.utf8()),
        pa.array([r["label"] for r in rows], pa.utf8()),
        pa.array(feats, pa.list_(pa.float32(), d)),
        pa.array([r["error"] for r in rows], pa.utf8()),
    ], schema=schema(d))


def cases():
    rng = np.random.default_rng(22)

    def vec(d):
        return [float(v) for v in rng.standard_normal(d).astype(np.float32)]

    mixed = [
        [  # nulls in every nullable column
            {"path": "shirts/a.png", "label": "shirt", "features": vec(5), "error": None},
            {"path": "bad/é €.png", "label": None, "features": None, "error": "bad/é €.png: not a PNG or JPEG file"},
            {"path": "shoes/b.png", "label": "shoe", "features": vec(5), "error": None},
        ],
        [  # no nulls: the writer leaves the validity bitmaps out
            {"path": "x", "label": "0", "features": vec(5), "error": ""},
            {"path": "yy", "label": "10", "features": vec(5), "error": "-"},
        ],
        [],  # an empty batch
    ]
    single = [[{"path": f"img{i:03d}.png", "label": None, "features": vec(9), "error": None} for i in range(9)]]
    # Rows of 21 values: each row's bits in the child's validity bitmap start mid-byte and
    # span whole bytes, with null rows first, last and side by side.
    nulls = {0, 3, 4, 6}
    long_rows = [[{"path": f"r{i}.png", "label": "c", "features": None if i in nulls else vec(21),
                   "error": "r%d.png: broken" % i if i in nulls else None} for i in range(7)]]
    return {"mixed": {"d": 5, "batches": mixed}, "single": {"d": 9, "batches": single},
            "schema_only": {"d": 3, "batches": []}, "long_rows": {"d": 21, "batches": long_rows}}


def main():
    os.makedirs(OUT, exist_ok=True)
    all_cases = cases()
    for name, case in all_cases.items():
        d = case["d"]
        batches = [batch(rows, d) for rows in case["batches"]]
        with pa.OSFile(os.path.join(OUT, name + ".arrow"), "wb") as f:
            with pa.ipc.new_file(f, schema(d)) as w:
                for b in batches:
                    w.write_batch(b)
        with pa.OSFile(os.path.join(OUT, name + ".arrows"), "wb") as f:
            with pa.ipc.new_stream(f, schema(d)) as w:
                for b in batches:
                    w.write_batch(b)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"pyarrow": pa.__version__, "cases": all_cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
