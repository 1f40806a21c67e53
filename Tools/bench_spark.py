"""HOG extraction throughput: `cvtool hog` on one machine against the Spark job
(spark/classiccv_spark.py) on local[1] and local[2], on the same folder of PNG images.

The folder: the first N Fashion-MNIST training images (28x28, /usr/share/datasets/fashion-mnist)
written as PNG, one folder per class, made once under .bench/. Every run is end to end (listing,
reading, decoding, HOG, writing the table: Arrow for cvtool, Parquet for Spark), timed on the
wall clock; the variants alternate, and the table reports medians, images per second and the
overhead per image Spark adds over `cvtool hog --threads` of the same core count.

Run (Tools/spark-submit.sh makes the venv and finds Java 17):
  CVTOOL=.build/release/cvtool SPARK_APP=Tools/bench_spark.py Tools/spark-submit.sh --images 10000 --repeats 3

With --breakdown, the steps of the job instead, each on its own, on a warm local[2] session:
the listing, the driver's two steps (the first image's size, the files the scan skips), a
path-only scan through mapInArrow (Spark's per-row round trip to Python), the same reading
every file in the task (FileReader), and the whole job.
"""
import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "spark"))
import classiccv_spark as job  # noqa: E402
from test_spark import png_bytes  # noqa: E402

FASHION = "/usr/share/datasets/fashion-mnist"


def make_folder(n):
    folder = os.path.join(ROOT, ".bench", "fashion-png-%d" % n)
    if os.path.exists(os.path.join(folder, ".done")):
        return folder
    with gzip.open(os.path.join(FASHION, "train-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:n]
    with gzip.open(os.path.join(FASHION, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
    for c in range(10):
        os.makedirs(os.path.join(folder, "class%d" % c), exist_ok=True)
    for i, (img, y) in enumerate(zip(images, labels)):
        with open(os.path.join(folder, "class%d" % y, "%05d.png" % i), "wb") as f:
            f.write(png_bytes(img))
    open(os.path.join(folder, ".done"), "w").close()
    return folder


def time_cvtool(folder, threads, out):
    t0 = time.perf_counter()
    subprocess.run([os.environ["CVTOOL"], "hog", folder, "--labels-from-dirs", "--threads", str(threads), "-o", out],
                   check=True, capture_output=True)
    return time.perf_counter() - t0


def time_spark(spark, folder, out):
    t0 = time.perf_counter()
    rows, errors = job.hog(spark, folder, out, ["--labels-from-dirs"])
    took = time.perf_counter() - t0
    assert errors == 0, errors
    return took, rows


def passthrough(batches):
    """mapInArrow with no work: the listed paths to Python and back."""
    yield from batches


def read_files(batches):
    """mapInArrow reading every listed file as the job's tasks do; yields path and length."""
    reader = job.FileReader()
    for b in batches:
        paths = b.column("path").to_pylist()
        contents, _ = reader.read_all(paths)
        yield pa.RecordBatch.from_pydict({"path": paths, "n": [len(c) for c in contents]},
                                         schema=pa.schema([("path", pa.string()), ("n", pa.int64())]))


def breakdown(folder, images, repeats, work):
    """Median seconds of each step of the job, on one warm local[2] session."""
    spark = job.session("bench breakdown", cvtool=os.environ["CVTOOL"], conf=[("spark.master", "local[2]")])
    spark.sparkContext.setLogLevel("ERROR")

    def listing():
        return spark.read.format("binaryFile").option("recursiveFileLookup", "true").option(
            "pathGlobFilter", job.DEFAULT_GLOB).load(folder)
    files = listing()
    listed = job.listed_paths(files)
    steps = {
        "listing (file index, sorted paths)": lambda: job.listed_paths(listing()),
        "driver: first image's size": lambda: job.first_image_size(listed, ["--labels-from-dirs"]),
        "driver: files the scan skips": lambda: job.skipped_files(spark, files, listed, ["--labels-from-dirs"]).count(),
        "path-only scan through mapInArrow": lambda: files.select("path").mapInArrow(
            passthrough, "path string").write.format("noop").mode("overwrite").save(),
        "the same, reading every file in the task": lambda: files.select("path").mapInArrow(
            read_files, "path string, n long").write.format("noop").mode("overwrite").save(),
        "whole job (hog, Parquet, counts)": lambda: time_spark(spark, folder, os.path.join(work, "t.parquet")),
    }
    for fn in steps.values():   # warm-up: JVM, Python workers, file caches
        fn()
    times = {k: [] for k in steps}
    for _ in range(repeats):
        for k, fn in steps.items():
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
    spark.stop()
    print("| step (%d images, local[2], warm) | median s | runs |" % images)
    print("|---|---:|---|")
    for k, v in times.items():
        print("| %s | %.2f | %s |" % (k, statistics.median(v), "/".join("%.2f" % x for x in v)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=10000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--breakdown", action="store_true", help="time the job's steps one by one instead")
    args = ap.parse_args()
    folder = make_folder(args.images)
    if args.breakdown:
        breakdown(folder, args.images, args.repeats, tempfile.mkdtemp(prefix="bench-spark-"))
        return
    work = tempfile.mkdtemp(prefix="bench-spark-")
    times = {"cvtool --threads 1": [], "cvtool --threads 2": [], "spark local[1]": [], "spark local[2]": []}
    for r in range(args.repeats):
        for threads in (1, 2):
            times["cvtool --threads %d" % threads].append(time_cvtool(folder, threads, os.path.join(work, "t.arrow")))
        for master in ("local[1]", "local[2]"):
            spark = job.session("bench " + master, cvtool=os.environ["CVTOOL"], conf=[("spark.master", master)])
            spark.sparkContext.setLogLevel("ERROR")
            took, rows = time_spark(spark, folder, os.path.join(work, "t.parquet"))
            assert rows == args.images, rows
            times["spark " + master].append(took)
            spark.stop()
        print("repeat %d: %s" % (r, ", ".join("%s %.2f s" % (k, v[-1]) for k, v in times.items())), flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print()
    print("| run (%d images, 28x28 PNG) | median s | images/s | overhead per image vs cvtool, same cores |" % args.images)
    print("|---|---:|---:|---:|")
    for k, m in med.items():
        cores = "2" if k.endswith("2") or k.endswith("2]") else "1"
        base = med["cvtool --threads " + cores]
        over = "" if k.startswith("cvtool") else "%.0f µs" % ((m - base) / args.images * 1e6)
        print("| %s | %.2f | %.0f | %s |" % (k, m, args.images / m, over))


if __name__ == "__main__":
    main()
