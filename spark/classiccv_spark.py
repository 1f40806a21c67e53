"""ClassicCV on Apache Spark: HOG extraction through `cvtool hog --records`, MLlib training
exported to cvtool's model JSON, and cvtool linear models scored in Spark SQL.

    spark-submit spark/classiccv_spark.py hog INPUT -o OUT.parquet [cvtool hog options]
    spark-submit spark/classiccv_spark.py train OUT.parquet --classifier linear-svm|logistic|naive-bayes -o model.json
    spark-submit spark/classiccv_spark.py score OUT.parquet --model model.json -o scores.parquet

`hog` lists INPUT with Spark's binaryFile source (recursiveFileLookup, pathGlobFilter; the
path column only, so the scan reads no file), ships cvtool and the shared libraries it needs
to the executors (spark.archives), and in each mapInArrow batch reads the listed files through
pyarrow's file systems (a file that cannot be read is an error row), pipes them through
`cvtool hog --records`, and writes Parquet: path, label, features array<float>, error. Every `cvtool hog` option means what it means on one
machine; --labels-from-dirs takes the first folder under INPUT. Tools/spark-submit.sh runs it
with a local venv and Java 17; docs/spark.md explains the framing and running on a cluster.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.fs as pafs

# Image extensions `cvtool hog` picks up in a folder (in either case).
IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "pgm", "ppm", "pnm", "npy"]
DEFAULT_GLOB = "*.{" + ",".join(IMAGE_EXTENSIONS + [e.upper() for e in IMAGE_EXTENSIONS]) + "}"
RECORD_MAGIC = b"CVREC01\n"
# Libraries every Linux node has (glibc's); everything else ldd lists travels in the archive.
SYSTEM_LIBRARIES = ("linux-vdso", "ld-linux", "libc.so", "libm.so", "libpthread.so", "libdl.so",
                    "librt.so", "libresolv.so", "libutil.so")
ARCHIVE_NAME = "classiccv_cvtool"
OUTPUT_SCHEMA = "path string, label string, features array<float>, error string"
# The worker's largest record (FramedRecordReader.maxDataBytes): a bigger file is an error row
# without being read.
MAX_RECORD_BYTES = 1 << 30
# Hadoop's names of object stores that pyarrow knows by another name.
PYARROW_SCHEMES = {"s3a": "s3", "s3n": "s3", "gcs": "gs"}


# ---------------------------------------------------------------------------------------------
# Shipping cvtool


def build_archive(cvtool, cache_dir):
    """A tar.gz with bin/cvtool, lib/ (the non-glibc libraries ldd lists: libpng, libjpeg,
    fftw, OpenBLAS, LAPACKE, the Swift runtime) and cvtool.sh, which runs the binary with
    lib/ first on LD_LIBRARY_PATH. Rebuilt only when the binary changes."""
    cvtool = os.path.realpath(cvtool)
    stamp = "%d-%d" % (os.stat(cvtool).st_mtime_ns, os.stat(cvtool).st_size)
    os.makedirs(cache_dir, exist_ok=True)
    archive = os.path.join(cache_dir, ARCHIVE_NAME + ".tar.gz")
    stamp_file = archive + ".stamp"
    if os.path.exists(archive) and os.path.exists(stamp_file) and open(stamp_file).read() == stamp:
        return archive
    staging = os.path.join(cache_dir, "staging")
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(os.path.join(staging, "bin"))
    os.makedirs(os.path.join(staging, "lib"))
    shutil.copy2(cvtool, os.path.join(staging, "bin", "cvtool"))
    for name, path in shared_libraries(cvtool):
        shutil.copy2(os.path.realpath(path), os.path.join(staging, "lib", name))
    wrapper = os.path.join(staging, "cvtool.sh")
    with open(wrapper, "w") as f:
        f.write('#!/bin/sh\nhere="$(cd "$(dirname "$0")" && pwd)"\n'
                'LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$here/bin/cvtool" "$@"\n')
    os.chmod(wrapper, 0o755)
    tmp = archive + ".tmp"
    with tarfile.open(tmp, "w:gz", compresslevel=1) as tar:
        for entry in sorted(os.listdir(staging)):
            tar.add(os.path.join(staging, entry), arcname=entry)
    os.replace(tmp, archive)
    with open(stamp_file, "w") as f:
        f.write(stamp)
    shutil.rmtree(staging, ignore_errors=True)
    return archive


def shared_libraries(binary):
    """(soname, path) of every library `ldd binary` resolves, glibc's excepted."""
    out = subprocess.run(["ldd", binary], check=True, capture_output=True, text=True).stdout
    libs = []
    for line in out.splitlines():
        parts = line.split()
        if "=>" not in parts:
            continue
        name, path = parts[0], parts[parts.index("=>") + 1]
        if path == "not" or not os.path.exists(path):
            raise SystemExit("cvtool needs %s, which ldd cannot find" % name)
        if not name.startswith(SYSTEM_LIBRARIES):
            libs.append((name, path))
    return libs


def shipped_cvtool():
    """The path of cvtool.sh in the unpacked archive on this executor (or the driver)."""
    from pyspark import SparkFiles
    for root in (SparkFiles.getRootDirectory(), os.getcwd()):
        candidate = os.path.join(root, ARCHIVE_NAME, "cvtool.sh")
        if os.path.exists(candidate):
            return candidate
    raise RuntimeError("the cvtool archive was not unpacked on this node (spark.archives)")


def session(app, cvtool=None, cache_dir=None, conf=()):
    """A SparkSession that ships cvtool (when given) as spark.archives#classiccv_cvtool."""
    from pyspark.sql import SparkSession
    b = SparkSession.builder.appName(app)
    # Small Arrow batches: a batch of images is in memory twice (content and framed records).
    b = b.config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
    # Spark packs files into partitions as if each cost 4 MB more than its size: right for
    # data files, but it makes a task of every 30 small images. 64 KB keeps images together.
    b = b.config("spark.sql.files.openCostInBytes", str(64 << 10))
    if cvtool:
        archive = build_archive(cvtool, cache_dir or os.path.join(os.path.dirname(os.path.abspath(cvtool)), "spark-archive"))
        b = b.config("spark.archives", archive + "#" + ARCHIVE_NAME)
    for k, v in conf:
        b = b.config(k, v)
    spark = b.getOrCreate()
    # The executors import this module when a caller other than this script (a test, a
    # notebook) hands them its functions.
    spark.sparkContext.addPyFile(os.path.abspath(__file__))
    return spark


# ---------------------------------------------------------------------------------------------
# hog


def frame_records(paths, contents):
    """The --records framing: magic, then per record u32 path length, path, u64 data length,
    data (little-endian)."""
    parts = [RECORD_MAGIC]
    for p, c in zip(paths, contents):
        pb = p.encode("utf-8")
        parts += [len(pb).to_bytes(4, "little"), pb, len(c).to_bytes(8, "little"), c]
    return b"".join(parts)


def run_worker(cvtool_cmd, paths, contents, read_errors=None):
    """Runs `cvtool hog --records` on one batch; returns its Arrow table. A path in
    read_errors ({path: message}) went to the worker as an empty record, so it has an error
    row with its label; the read's message replaces the worker's."""
    proc = subprocess.run(cvtool_cmd, input=frame_records(paths, contents), capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError("cvtool exited with %d: %s" % (proc.returncode, proc.stderr.decode(errors="replace").strip()))
    table = pa.ipc.open_stream(proc.stdout).read_all()
    if read_errors:
        errors = [read_errors.get(p, e) for p, e in zip(table.column("path").to_pylist(), table.column("error").to_pylist())]
        table = table.set_column(table.schema.get_field_index("error"), "error", pa.array(errors, pa.string()))
    return table


class FileReader:
    """Reads the files the listing names, on whichever node runs the task, through pyarrow's
    file systems (local `file:`, `hdfs:` through libhdfs, `s3a:`/`s3:`, `gs:`, `abfs:`), one
    file system per scheme and authority. A file that cannot be read (permissions, vanished,
    over the record limit) is a message, never an exception: it becomes an error row."""

    def __init__(self):
        self.systems = {}

    def read(self, path):
        """(bytes, None) or (b"", message), the message as cvtool words it: `PATH: reason`."""
        try:
            fs, fs_path = self.locate(path)
            with fs.open_input_stream(fs_path) as f:
                data = f.read(MAX_RECORD_BYTES + 1)
            if len(data) > MAX_RECORD_BYTES:
                return b"", "%s: the file is over the %d-byte limit of a record" % (path, MAX_RECORD_BYTES)
            return data, None
        except (OSError, ValueError) as e:
            reason = os.strerror(e.errno) if getattr(e, "errno", None) else str(e)
            return b"", "%s: %s" % (path, reason)

    def read_all(self, paths):
        """The contents of paths (b"" for the unreadable ones) and {path: message} of those."""
        contents, errors = [], {}
        for p in paths:
            data, message = self.read(p)
            contents.append(data)
            if message:
                errors[p] = message
        return contents, errors

    def locate(self, path):
        """(file system, its path) of a path as the scan's path column spells it. That column
        is not URL-escaped (`file:/a b%.png`), so it is split by hand rather than parsed as
        a URI."""
        m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):(?://([^/]*))?(/.*)?$", path)
        if not m or len(m.group(1)) == 1:       # a plain local path (or a Windows drive)
            return self.system("file", "")[0], path
        scheme, authority, rest = m.group(1).lower(), m.group(2) or "", m.group(3) or "/"
        if scheme == "file":
            return self.system("file", "")[0], rest
        fs, base = self.system(PYARROW_SCHEMES.get(scheme, scheme), authority)
        return fs, (base.rstrip("/") + "/" + rest.lstrip("/")) if base.strip("/") else rest

    def system(self, scheme, authority):
        """(file system, the root's path in it), made once per task."""
        key = (scheme, authority)
        if key not in self.systems:
            if scheme == "file":
                self.systems[key] = (pafs.LocalFileSystem(), "")
            else:
                self.systems[key] = pafs.FileSystem.from_uri("%s://%s/" % (scheme, authority))
        return self.systems[key]


def spark_batches(table):
    """The worker's table as mapInArrow batches: features as a variable-size list (Spark's
    array<float>)."""
    features = table.column("features").cast(pa.list_(pa.float32()))
    out = pa.table({"path": table.column("path"), "label": table.column("label"),
                    "features": features, "error": table.column("error")})
    return out.to_batches()


def extractor(hog_args, kill_partition=None, kill_marker=None):
    """The mapInArrow function: each input batch of listed paths read here (FileReader: no
    shared file system needed, an unreadable file is an error row) and put through the
    worker, in order.
    kill_partition (tests): on the first attempt of that partition the Python worker kills
    itself with SIGKILL after its first batch, so Spark must retry the task."""
    def extract(batches):
        from pyspark import TaskContext
        ctx = TaskContext.get()
        cmd = [shipped_cvtool(), "hog", "--records", "--threads", "1"] + hog_args
        reader = FileReader()
        for i, batch in enumerate(batches):
            paths = batch.column("path").to_pylist()
            contents, read_errors = reader.read_all(paths)
            yield from spark_batches(run_worker(cmd, paths, contents, read_errors))
            if kill_partition is not None and ctx.partitionId() == kill_partition and ctx.attemptNumber() == 0 and i == 0:
                if kill_marker:
                    open("%s.p%d.a%d" % (kill_marker, ctx.partitionId(), ctx.attemptNumber()), "w").close()
                os.kill(os.getpid(), signal.SIGKILL)
    return extract


def qualified(spark, path):
    """A path as the binaryFile source spells it (`file:/abs/dir`, `hdfs://nn/dir`)."""
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    fs = p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return fs.makeQualified(p).toString()


def listed_paths(files):
    """Every file of the listing, sorted, spelled as the scan's path column: the file index is
    on the driver already, so this runs no Spark job. inputFiles spells each path as a URI
    (`file:///dir/a%20b%2541.png`), the scan as the file is named (`file:/dir/a b%41.png`):
    the scheme's slashes and the escapes are undone, or such a file would look missing from
    the scan and get an error row."""
    return sorted(unquote(re.sub(r"^file:///", "file:/", p)) for p in files.inputFiles())


def first_image_size(listed, hog_args):
    """The size of the first readable image in path order: what `cvtool hog` on one machine
    takes as the table's size. Runs the worker on the driver, a few files at a time."""
    cvtool = shipped_cvtool()
    reader = FileReader()
    for start in range(0, min(len(listed), 64), 8):
        chunk = listed[start:start + 8]
        content, read_errors = reader.read_all(chunk)
        table = run_worker([cvtool, "hog", "--records", "--batch-records", "1"] + hog_args, chunk, content, read_errors)
        for p, data, err in zip(table.column("path").to_pylist(), content, table.column("error").to_pylist()):
            if err is None:
                info = subprocess.run([cvtool, "info", "-", "--json"], input=data, capture_output=True, check=True)
                head = json.loads(info.stdout)
                return "%dx%d" % (head["width"], head["height"])
    return None


def skipped_files(spark, files, listed, hog_args):
    """Error rows for the files the listing has but the scan skips (Spark's file scan drops
    empty files), made by the worker on the driver from empty records, so they read as one
    machine's messages."""
    present = {r.path for r in files.select("path").collect()}
    missing = [p for p in listed if p not in present]
    rows = []
    if missing:
        table = run_worker([shipped_cvtool(), "hog", "--records"] + hog_args, missing, [b""] * len(missing))
        rows = list(zip(table.column("path").to_pylist(), table.column("label").to_pylist(),
                        [None] * len(missing), table.column("error").to_pylist()))
    return spark.createDataFrame(rows, OUTPUT_SCHEMA)


def hog(spark, input_path, output, hog_args, glob=DEFAULT_GLOB, partitions=None, kill_partition=None, kill_marker=None):
    """Extracts HOG descriptors of every image under input_path into Parquet; returns the
    row and error-row counts."""
    # 1. The listing.
    files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
             .option("pathGlobFilter", glob).load(input_path))
    root = qualified(spark, input_path)
    listed = listed_paths(files)
    args = list(hog_args)
    if any(a.split("=")[0] in ("--labels", "--visualize", "--files-from", "--records", "-o", "--output") for a in args):
        raise SystemExit("hog: --labels (row order), --visualize, --files-from, --records and -o are one machine's; "
                         "on Spark use --labels-from-dirs, and the job's own -o")
    # 2. The table's image size and the labels' root, as one machine would see them.
    sizing = {"--resize", "--window", "--image-size"}
    if not any(a.split("=")[0] in sizing for a in args):
        size = first_image_size(listed, args)
        if size:
            args += ["--image-size", size]
    if "--labels-from-dirs" in args:
        args += ["--labels-root", root]
    # Each partition is a fixed list of files, so a retried task reads (and writes) the same
    # rows; --partitions spreads them by path range instead of Spark's file splits. Only the
    # path is selected: the binaryFile scan then opens no file (it reads `content` only when
    # asked), and the task reads each file itself, so a file it cannot read is an error row
    # instead of a failed task.
    records = files.select("path")
    if partitions:
        records = records.repartitionByRange(partitions, "path").sortWithinPartitions("path")
    # 3. The worker on every batch; Parquet out.
    table = records.mapInArrow(extractor(args, kill_partition, kill_marker), OUTPUT_SCHEMA)
    table = table.unionByName(skipped_files(spark, files, listed, args))
    table.write.mode("overwrite").parquet(output)
    written = spark.read.parquet(output)
    return written.count(), written.where("error IS NOT NULL").count()


# ---------------------------------------------------------------------------------------------
# train and score


def sorted_classes(labels):
    """cvtool's class order (LabelEncoder): numeric when every label is a number, else by
    code point."""
    try:
        return sorted(labels, key=lambda s: (float(s), s))
    except ValueError:
        return sorted(labels)


def training_frame(spark, table_path):
    """The readable labelled rows as (label index, features vector), and the class names."""
    from pyspark.ml.functions import array_to_vector
    from pyspark.sql import functions as F
    df = spark.read.parquet(table_path).where("error IS NULL AND label IS NOT NULL")
    classes = sorted_classes([r.label for r in df.select("label").distinct().collect()])
    index = F.array_position(F.array(*[F.lit(c) for c in classes]), F.col("label")) - 1
    frame = df.select("path", "label", index.cast("double").alias("y"), array_to_vector("features").alias("x"))
    return frame, classes


def linear_model_json(classes, weights, intercepts, d, parameters):
    """cvtool's `linear-svm` model file: scores w_c·x + b_c, arg-max predicts (one row for
    two classes: positive is class 1)."""
    return {"format": "classiccv-model", "version": 1, "type": "linear-svm", "n_features": d, "classes": classes,
            "classifier": {"parameters": parameters, "classCount": len(classes), "featureCount": d,
                           "weights": [float(w) for row in weights for w in row],
                           "intercepts": [float(b) for b in intercepts], "iterations": [0] * len(intercepts)}}


def train(spark, table_path, classifier, output, reg=0.0, max_iter=100, predictions=None):
    """Trains with MLlib and writes the model as cvtool's JSON; returns the model dict."""
    from pyspark.ml.classification import LinearSVC, LogisticRegression, NaiveBayes, OneVsRest
    frame, classes = training_frame(spark, table_path)
    k, d = len(classes), len(frame.first().x)
    if k < 2:
        raise SystemExit("train needs at least 2 classes, found %d" % k)
    svm_params = {"C": 1.0, "loss": "hinge", "multiClass": "ovr", "tolerance": 1e-6, "maxIterations": max_iter,
                  "fitIntercept": True, "interceptScaling": 1.0, "shrinking": True, "seed": 0}
    if classifier == "linear-svm":
        svc = LinearSVC(featuresCol="x", labelCol="y", regParam=reg, maxIter=max_iter)
        if k == 2:
            m = svc.fit(frame)
            model = linear_model_json(classes, [m.coefficients.toArray()], [m.intercept], d, svm_params)
        else:
            m = OneVsRest(classifier=svc, featuresCol="x", labelCol="y", parallelism=2).fit(frame)
            model = linear_model_json(classes, [b.coefficients.toArray() for b in m.models], [b.intercept for b in m.models], d, svm_params)
    elif classifier == "logistic":
        m = LogisticRegression(featuresCol="x", labelCol="y", regParam=reg, maxIter=max_iter).fit(frame)
        if k == 2:
            model = linear_model_json(classes, [m.coefficients.toArray()], [m.intercept], d, svm_params)
        else:
            model = linear_model_json(classes, m.coefficientMatrix.toArray(), m.interceptVector.toArray(), d, svm_params)
    elif classifier == "naive-bayes":
        m = NaiveBayes(featuresCol="x", labelCol="y", modelType="multinomial", smoothing=1.0).fit(frame)
        model = naive_bayes_json(frame, classes, m, d)
    else:
        raise SystemExit("--classifier must be linear-svm, logistic or naive-bayes")
    with open(output + ".tmp", "w") as f:
        json.dump(model, f)
    os.replace(output + ".tmp", output)
    if predictions:
        m.transform(frame).select("path", "label", "prediction", "rawPrediction", *(["probability"] if classifier != "linear-svm" else [])) \
            .write.mode("overwrite").parquet(predictions)
    return model


def naive_bayes_json(frame, classes, m, d):
    """cvtool's `multinomial-nb` model: MLlib's theta is feature_log_prob_, pi the class log
    prior; the counts come from the data, as scikit-learn keeps them."""
    from pyspark.ml.stat import Summarizer
    from pyspark.sql import functions as F
    sums = {int(r.y): (r.n, r.s.toArray()) for r in
            frame.groupBy("y").agg(F.count("*").alias("n"), Summarizer.sum(F.col("x")).alias("s")).collect()}
    theta = m.theta.toArray()
    return {"format": "classiccv-model", "version": 1, "type": "multinomial-nb", "n_features": d, "classes": classes,
            "classifier": {"parameters": {"alpha": 1.0, "fitPrior": True, "forceAlpha": True},
                           "classCount": len(classes), "featureCount": d,
                           "featureCounts": [float(v) for c in range(len(classes)) for v in sums[c][1]],
                           "classCounts": [float(sums[c][0]) for c in range(len(classes))],
                           "featureLogProb": [float(v) for row in theta for v in row],
                           "classLogPrior": [float(v) for v in m.pi.toArray()]}}


def linear_scores(df, model):
    """Scores of a cvtool linear model in Spark SQL, no UDF: per class,
    aggregate(zip_with(features, w_c, x*w), b_c, acc + v); and the arg-max class."""
    from pyspark.sql import functions as F
    c = model["classifier"]
    d, w, b = model["n_features"], c["weights"], c["intercepts"]
    rows = len(b)
    scores = []
    for r in range(rows):
        wr = F.array(*[F.lit(float(v)) for v in w[r * d:(r + 1) * d]])
        dot = F.aggregate(F.zip_with(F.col("features"), wr, lambda x, y: x.cast("double") * y), F.lit(float(b[r])), lambda acc, v: acc + v)
        scores.append(dot)
    if rows == 1:   # two classes: [-f, f]
        scores = [-scores[0], scores[0]]
    names = F.array(*[F.lit(n) for n in model["classes"]])
    arr = F.array(*scores)
    best = F.array_position(arr, F.array_max(arr)).cast("int")
    return df.select("path", "label", arr.alias("scores"), F.element_at(names, best).alias("prediction"))


def score(spark, table_path, model_path, output):
    with open(model_path) as f:
        model = json.load(f)
    if model.get("type") != "linear-svm":
        raise SystemExit("score takes a linear model (type linear-svm), got %s" % model.get("type"))
    df = spark.read.parquet(table_path).where("error IS NULL")
    linear_scores(df, model).write.mode("overwrite").parquet(output)


# ---------------------------------------------------------------------------------------------
# command line


def main(argv=None):
    ap = argparse.ArgumentParser(prog="classiccv_spark.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    h = sub.add_parser("hog", help="HOG descriptors of every image under INPUT into Parquet (other options go to cvtool hog)")
    h.add_argument("input")
    h.add_argument("-o", "--output", required=True)
    h.add_argument("--glob", default=DEFAULT_GLOB, help="pathGlobFilter (default: cvtool's image extensions)")
    h.add_argument("--partitions", type=int, help="range partitions by path (default: Spark's file splits)")
    h.add_argument("--cvtool", default=os.environ.get("CVTOOL", "cvtool"), help="the cvtool binary to ship")
    t = sub.add_parser("train", help="MLlib training on a hog table; writes cvtool's model JSON")
    t.add_argument("table")
    t.add_argument("--classifier", required=True, choices=["linear-svm", "logistic", "naive-bayes"])
    t.add_argument("-o", "--output", required=True)
    t.add_argument("--reg", type=float, default=0.0, help="regParam (default 0)")
    t.add_argument("--max-iter", type=int, default=100)
    t.add_argument("--predictions", help="also write MLlib's predictions on the table to this Parquet")
    s = sub.add_parser("score", help="score a cvtool linear model on a hog table in Spark SQL (no UDF)")
    s.add_argument("table")
    s.add_argument("--model", required=True)
    s.add_argument("-o", "--output", required=True)
    args, rest = ap.parse_known_args(argv)
    if args.command != "hog" and rest:
        ap.error("unrecognized arguments: %s" % " ".join(rest))
    if args.command == "hog":
        cvtool = shutil.which(args.cvtool) or args.cvtool
        spark = session("classiccv hog", cvtool=cvtool)
        rows, errors = hog(spark, args.input, args.output, rest, glob=args.glob, partitions=args.partitions)
        print("%s: %d rows, %d error rows" % (args.output, rows, errors))
    elif args.command == "train":
        spark = session("classiccv train")
        train(spark, args.table, args.classifier, args.output, reg=args.reg, max_iter=args.max_iter, predictions=args.predictions)
        print(args.output)
    else:
        spark = session("classiccv score")
        score(spark, args.table, args.model, args.output)
        print(args.output)
    spark.stop()


if __name__ == "__main__":
    sys.exit(main())
