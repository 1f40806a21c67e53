"""The Spark tests (run by Tools/spark-test.sh through spark-submit, local[2,2]).

1. cvtool's own files read by pyarrow (the `.arrow` file and the --stream output) and by
   Spark (`.libsvm` with numFeatures);
2. the Parquet table of the Spark job equals `cvtool hog` of the same folder on one machine,
   exactly (sorted by path; no duplicate, no missing row), plain and with a worker killed
   mid-partition on its first attempt;
3. corrupt, empty, wrong-size and unreadable inputs come back as error rows and are counted
   (the unreadable one is a mode-000 file: Tools/spark-test.sh drops root's capabilities so
   that the permission bits hold; a run that can still read it says so and leaves it out);
4. MLlib models (LinearSVC one-vs-rest, LogisticRegression, NaiveBayes) exported to cvtool's
   JSON predict the same in `cvtool predict`, scores within 1e-6; a cvtool linear model scored
   in Spark SQL (no UDF) gives MLlib's raw predictions.
Ends with the line `N passed, M failed`.
"""
import csv
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import zlib

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import classiccv_spark as job  # noqa: E402

CVTOOL = os.environ["CVTOOL"]
CLASSES = ["boot", "coat", "shirt", "sneaker"]
PER_CLASS = 15
SIDE = 28


# ---------------------------------------------------------------------------------------------
# The test folder: seeded images, one folder per class, and broken files


def png_bytes(gray):
    """A gray 8-bit PNG of a 2-D uint8 array (zlib, filter 0 on every row)."""
    h, w = gray.shape
    raw = b"".join(b"\x00" + gray[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def pattern(c, rng, side=SIDE):
    """Stripes at 45·c degrees plus noise: a class HOG can tell apart."""
    y, x = np.mgrid[0:side, 0:side]
    a = np.pi * c / len(CLASSES)
    v = 128 + 80 * np.sin((x * np.cos(a) + y * np.sin(a)) * 0.9 + rng.uniform(0, 6.3)) + rng.normal(0, 20, (side, side))
    return np.clip(v, 0, 255).astype(np.uint8)


def make_folder(root):
    """The images and the inputs that must become error rows; returns the bad files' names."""
    rng = np.random.default_rng(2026)
    for c, name in enumerate(CLASSES):
        os.makedirs(os.path.join(root, name))
        for i in range(PER_CLASS):
            with open(os.path.join(root, name, "%03d.png" % i), "wb") as f:
                f.write(png_bytes(pattern(c, rng)))
    # A name with a space, a percent escape and non-ASCII: the tasks open files by the scan's
    # path column, which must not be taken for a URL-escaped one.
    with open(os.path.join(root, CLASSES[0], "odd name %41 \u00e9.png"), "wb") as f:
        f.write(png_bytes(pattern(0, rng)))
    os.makedirs(os.path.join(root, "zz-bad"))
    good = png_bytes(pattern(0, rng))
    bad = {"zz-bad/truncated.png": good[:60], "zz-bad/empty.png": b"", "zz-bad/text.jpg": b"not a jpeg\n",
           "zz-bad/small.png": png_bytes(pattern(1, rng, side=20))}
    for rel, data in bad.items():
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)
    if unreadable_file(os.path.join(root, "zz-bad", "unreadable.png"), good):
        bad["zz-bad/unreadable.png"] = good
    return sorted(bad)


def unreadable_file(path, data):
    """A valid PNG with mode 000; True when this process then cannot read it. Root with
    CAP_DAC_OVERRIDE reads it anyway: then the file is removed and the check is skipped,
    with a line saying why."""
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, 0)
    try:
        open(path, "rb").close()
    except PermissionError:
        return True
    os.remove(path)
    print("  SKIP unreadable-file check: this process reads a mode-000 file (root with CAP_DAC_OVERRIDE; "
          "Tools/spark-test.sh runs the tests without capabilities through setpriv when it can)", flush=True)
    return False


# ---------------------------------------------------------------------------------------------
# Helpers


def cvtool(*args, stdin=None):
    p = subprocess.run([CVTOOL, *args], input=stdin, capture_output=True)
    if p.returncode != 0:
        raise AssertionError("cvtool %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()))
    return p


def relative(path, root):
    """A path of either form (`file:/abs/…` or `/abs/…`) relative to the folder root."""
    for prefix in ("file://", "file:"):
        if path.startswith(prefix):
            path = path[len(prefix):]
            break
    return os.path.relpath(path, root)


def by_path(table, root):
    """{relative path: (label, features as float32 array or None, error)} of a table; fails
    on a duplicate path."""
    out = {}
    cols = table.to_pydict()
    for i, p in enumerate(cols["path"]):
        rel = relative(p, root)
        assert rel not in out, "duplicate row %s" % rel
        f = cols["features"][i]
        out[rel] = (cols["label"][i], None if f is None else np.asarray(f, dtype=np.float32), cols.get("error", [None] * len(cols["path"]))[i])
    return out


def assert_same_rows(spark_rows, single_rows):
    good = {k: v for k, v in spark_rows.items() if v[2] is None}
    assert sorted(good) == sorted(single_rows), "rows differ: %s" % sorted(set(good) ^ set(single_rows))[:5]
    for k, (label, f, _) in single_rows.items():
        label2, f2, _ = good[k]
        assert label == label2, "%s: label %r vs %r" % (k, label2, label)
        assert f2.dtype == np.float32 and np.array_equal(f, f2), "%s: features differ (max %g)" % (k, np.abs(f - f2).max())


# ---------------------------------------------------------------------------------------------
# The tests


class Context:
    def __init__(self, spark, work):
        self.spark, self.work = spark, work
        self.folder = os.path.join(work, "images")
        self.bad = make_folder(self.folder)
        self.single_arrow = os.path.join(work, "single.arrow")
        cvtool("hog", self.folder, "--labels-from-dirs", "-o", self.single_arrow)
        self.single_csv = os.path.join(work, "single.csv")
        cvtool("hog", self.folder, "--labels-from-dirs", "-o", self.single_csv)
        self.single = by_path(pa.ipc.open_file(self.single_arrow).read_all(), self.folder)
        self.d = len(next(iter(self.single.values()))[1])


def test_pyarrow_reads_cvtool_arrow_file(ctx):
    t = pa.ipc.open_file(ctx.single_arrow).read_all()
    assert t.schema.names == ["path", "label", "features"], t.schema
    assert t.schema.field("features").type == pa.list_(pa.float32(), ctx.d)
    assert t.num_rows == len(CLASSES) * PER_CLASS + 1, t.num_rows   # and the odd name
    # The same numbers as the CSV table (Swift's shortest round-trip floats).
    with open(ctx.single_csv) as f:
        rows = list(csv.reader(f))[1:]
    csv_rows = {relative(r[0], ctx.folder): np.asarray([float(v) for v in r[2:]], dtype=np.float32) for r in rows}
    for k, (_, f, _) in ctx.single.items():
        assert np.array_equal(csv_rows[k], f), k


def test_pyarrow_reads_worker_stream_with_error_rows(ctx):
    """--files-from with a missing path, a folder and a FIFO: error rows, never a crash."""
    fifo = os.path.join(ctx.work, "fifo.png")
    os.mkfifo(fifo)
    listed = [os.path.join(ctx.folder, k) for k in sorted(ctx.single)[:5]] + [os.path.join(ctx.work, "missing.png"), ctx.folder, fifo]
    p = cvtool("hog", "--stream", "--files-from", "-", "--null", "--labels-from-dirs", "--batch-records", "3",
               stdin=b"\0".join(os.fsencode(x) for x in listed) + b"\0")
    t = pa.ipc.open_stream(p.stdout).read_all()
    assert t.schema.names == ["path", "label", "features", "error"], t.schema
    assert t.column("path").to_pylist() == listed
    errors = t.column("error").to_pylist()
    assert [e is not None for e in errors] == [False] * 5 + [True] * 3, errors
    rows = by_path(t, ctx.folder)
    for k in sorted(ctx.single)[:5]:
        assert np.array_equal(rows[k][1], ctx.single[k][1]) and rows[k][0] == ctx.single[k][0], k
    assert b"3 error row(s)" in p.stderr, p.stderr


def test_spark_table_equals_single_machine(ctx):
    out = os.path.join(ctx.work, "spark.parquet")
    rows, errors = job.hog(ctx.spark, ctx.folder, out, ["--labels-from-dirs"])
    spark_rows = by_path(pq.read_table(out), ctx.folder)
    assert_same_rows(spark_rows, ctx.single)
    bad = sorted(k for k, v in spark_rows.items() if v[2] is not None)
    assert bad == ctx.bad, bad
    assert (rows, errors) == (len(ctx.single) + len(ctx.bad), len(ctx.bad)), (rows, errors)
    if "zz-bad/unreadable.png" in ctx.bad:
        label, _, message = spark_rows["zz-bad/unreadable.png"]
        assert message.endswith("unreadable.png: Permission denied") and label == "zz-bad", (label, message)
    print("  %d rows equal, %d error rows: %s" % (len(ctx.single), errors, ", ".join(
        "%s (%s)" % (k, spark_rows[k][2].split(": ", 1)[-1][:40]) for k in bad)))


def test_killed_worker_is_retried_and_result_identical(ctx):
    out = os.path.join(ctx.work, "spark-killed.parquet")
    marker = os.path.join(ctx.work, "killed")
    print("  (a worker kills itself with SIGKILL now: Spark logs the lost task, then retries it)", flush=True)
    job.hog(ctx.spark, ctx.folder, out, ["--labels-from-dirs"], partitions=3, kill_partition=1, kill_marker=marker)
    assert os.path.exists(marker + ".p1.a0"), "the worker was not killed"
    assert not os.path.exists(marker + ".p1.a1"), "killed on the retry too"
    spark_rows = by_path(pq.read_table(out), ctx.folder)
    assert_same_rows(spark_rows, ctx.single)
    assert sorted(k for k, v in spark_rows.items() if v[2] is not None) == ctx.bad


def test_libsvm_loads_in_spark(ctx):
    path = os.path.join(ctx.work, "single.libsvm")
    cvtool("hog", ctx.folder, "--labels-from-dirs", "-o", path)
    df = ctx.spark.read.format("libsvm").option("numFeatures", ctx.d).load(path)
    rows = df.collect()
    ordered = [ctx.single[k] for k in sorted(ctx.single, key=lambda k: os.path.join(ctx.folder, k))]
    assert len(rows) == len(ordered), len(rows)
    for r, (label, f, _) in zip(rows, ordered):
        assert r.label == float(CLASSES.index(label)), (r.label, label)
        assert np.array_equal(r.features.toArray().astype(np.float32), f)


def _train_and_compare(ctx, classifier):
    table = os.path.join(ctx.work, "spark.parquet")
    model = os.path.join(ctx.work, classifier + ".json")
    preds = os.path.join(ctx.work, classifier + "-mllib.parquet")
    # Few iterations: the agreement of the export does not depend on convergence, and each
    # LinearSVC iteration of each one-vs-rest model is a Spark job.
    job.train(ctx.spark, table, classifier, model, reg=0.01, max_iter=5 if classifier == "linear-svm" else 15, predictions=preds)
    mllib = {relative(r["path"], ctx.folder): r for r in pq.read_table(preds).to_pylist()}
    flags = ["--proba"] if classifier == "naive-bayes" else []
    out = cvtool("predict", model, ctx.single_csv, *flags).stdout.decode()
    reader = list(csv.DictReader(io.StringIO(out)))
    assert len(reader) == len(mllib), (len(reader), len(mllib))
    worst = 0.0
    for r in reader:
        m = mllib[relative(r["path"], ctx.folder)]
        assert r["label"] == CLASSES[int(m["prediction"])], (r["path"], r["label"], m["prediction"])
        if classifier == "naive-bayes":
            p = np.array([float(r["p_" + c]) for c in CLASSES])
            worst = max(worst, np.abs(p - np.array(m["probability"]["values"])).max())
    if classifier != "naive-bayes":
        # The exported model scored in Spark SQL against MLlib's raw predictions.
        import json
        with open(model) as f:
            exported = json.load(f)
        df = ctx.spark.read.parquet(table).where("error IS NULL")
        for r in job.linear_scores(df, exported).collect():
            m = mllib[relative(r.path, ctx.folder)]
            raw = np.array(m["rawPrediction"]["values"])
            worst = max(worst, np.abs(np.array(r.scores) - raw).max() / max(1.0, np.abs(raw).max()))
            assert r.prediction == CLASSES[int(m["prediction"])]
    assert worst <= 1e-6, worst
    accuracy = np.mean([r["label"] == relative(r["path"], ctx.folder).split("/")[0] for r in reader])
    print("  %s: %d predictions equal, max score difference %.2g, training accuracy %.2f" % (classifier, len(reader), worst, accuracy))


def test_exported_linear_svm(ctx):
    _train_and_compare(ctx, "linear-svm")


def test_exported_logistic(ctx):
    _train_and_compare(ctx, "logistic")


def test_exported_naive_bayes(ctx):
    _train_and_compare(ctx, "naive-bayes")


def main():
    work = tempfile.mkdtemp(prefix="classiccv-spark-")
    spark = job.session("classiccv spark tests", cvtool=CVTOOL, conf=[
        ("spark.sql.execution.arrow.maxRecordsPerBatch", "8"),   # several batches a partition
        ("spark.sql.shuffle.partitions", "4"),
    ])
    spark.sparkContext.setLogLevel("ERROR")
    passed = failed = 0
    try:
        ctx = Context(spark, work)
        tests = [(n, f) for n, f in globals().items() if n.startswith("test_")]
        for name, fn in tests:
            t0 = time.time()
            try:
                fn(ctx)
                passed += 1
                print("PASS %s (%.1f s)" % (name, time.time() - t0), flush=True)
            except Exception:
                failed += 1
                print("FAIL %s" % name, flush=True)
                traceback.print_exc()
    finally:
        spark.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
