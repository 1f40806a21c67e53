#!/usr/bin/env python3
"""Mutation run over the table and model inputs of the learning commands.

Takes the table fixtures (CSV, LIBSVM written from a CSV fixture, NPY) and model JSON written
by `cvtool train` on the bundled datasets, writes mutants (byte flips, truncations, huge,
negative and NaN numbers, emptied arrays, deleted keys, duplicated rows) and runs
`cvtool predict`, `evaluate`, `train` and `pca transform` on each with a timeout. Reports:

- crashes: killed by a signal, or exit status >= 128;
- hangs: still running after --timeout seconds;
- unclear failures: exit 0 with NaN in the output, or an error of more than one line.

Python standard library only. Usage (from the repository root, after
`swift build -c release --product cvtool`):

    python3 Tools/mutate_tables.py --count 2000
    python3 Tools/mutate_tables.py --count 2000 --keep /tmp/mutants-failing

Exit status 0 when nothing was found, 1 otherwise.
"""

import argparse
import concurrent.futures
import csv
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HUGE_NUMBERS = ["1e308", "-1e308", "1e309", "-1", "0", "NaN", "nan", "inf", "-inf",
                "4294967296", "9223372036854775807", "-9223372036854775808", "1e-320", "10000000"]


def run(cmd, timeout, cwd):
    """(rc, stdout, stderr, hung) of one command; rc < 0 is a signal."""
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout)
        return p.returncode, p.stdout, p.stderr, False
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b"", e.stderr or b"", True


def csv_to_libsvm(text):
    """LIBSVM text of a CSV table with a `label` column (labels mapped to class indices)."""
    lines = [l for l in text.splitlines() if l]
    head = lines[0].split(",")
    li = head.index("label")
    classes = sorted({l.split(",")[li] for l in lines[1:]})
    out = []
    for l in lines[1:]:
        f = l.split(",")
        feats = [v for i, v in enumerate(f) if i != li]
        out.append(str(classes.index(f[li])) + "".join(
            f" {j + 1}:{v}" for j, v in enumerate(feats) if float(v) != 0))
    return "\n".join(out) + "\n"


def npy_bytes(shape, descr, payload):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join(f"{s}, " for s in shape) if len(shape) != 1 else f"{shape[0]},")
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload


# ---------------------------------------------------------------- seeds

def make_seeds(cvtool, work):
    """Seed inputs: {'tables': [(path, kind)], 'models': [path], 'pcas': [path], 'good': {...}}."""
    blobs = os.path.join(ROOT, "Fixtures/learn/blobs.csv")
    tables = [(blobs, "csv"), (os.path.join(ROOT, "Fixtures/learn/scaler_set.csv"), "csv")]
    with open(blobs) as f:
        blobs_text = f.read()
    libsvm = os.path.join(work, "blobs.libsvm")
    with open(libsvm, "w") as f:
        f.write(csv_to_libsvm(blobs_text))
    tables.append((libsvm, "libsvm"))
    # The binary SVM set as NPY with its labels beside it (the layout `cvtool hog` writes).
    npy = os.path.join(work, "binary.npy")
    shutil.copy(os.path.join(ROOT, "Fixtures/svm/binary.npy"), npy)
    shutil.copy(os.path.join(ROOT, "Fixtures/svm/binary_labels.npy"), os.path.join(work, "binary.labels.npy"))
    with open(os.path.join(work, "binary.classes.txt"), "w") as f:
        f.write("negative\npositive\n")
    tables.append((npy, "npy"))
    models = []
    recipes = [
        ("gnb", blobs, []), ("mnb", libsvm, ["--classifier", "multinomial-nb"]),
        ("cnb", blobs, ["--classifier", "complement-nb", "--scale", "minmax"]),
        ("lin", blobs, ["--classifier", "linear-svm", "--scale", "standard"]),
        ("svm", blobs, ["--classifier", "svm", "--probability", "--pca", "4"]),
        ("svmlin", npy, ["--classifier", "svm", "--kernel", "linear"]),
        ("linc", blobs, ["--classifier", "linear-svm", "--multi-class", "crammer-singer"]),
    ]
    for name, table, args in recipes:
        out = os.path.join(work, f"model_{name}.json")
        rc, _, err, _ = run([cvtool, "train", table, "-o", out] + args, 120, work)
        if rc != 0:
            sys.exit(f"seed model {name} failed: {err.decode(errors='replace')}")
        models.append((out, table))
    pca = os.path.join(work, "pca_blobs.json")
    rc, _, err, _ = run([cvtool, "pca", "fit", blobs, "--components", "3", "--whiten", "-o", pca], 120, work)
    if rc != 0:
        sys.exit(f"seed PCA failed: {err.decode(errors='replace')}")
    return tables, models, pca


# ---------------------------------------------------------------- mutations

def mutate_bytes(rng, data):
    data = bytearray(data)
    op = rng.randrange(4)
    if op == 0 and data:  # byte flips
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return bytes(data), "flip"
    if op == 1:  # truncation
        return bytes(data[:rng.randrange(len(data) + 1)]), "truncate"
    if op == 2 and data:  # random bytes spliced in
        i = rng.randrange(len(data))
        return bytes(data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))) + data[i:]), "splice"
    i = rng.randrange(len(data) + 1)
    return bytes(data[:i] + data[i:i + rng.randint(1, 64)] + data[i:]), "repeat-bytes"


def mutate_text_table(rng, text, kind):
    lines = text.split("\n")
    op = rng.randrange(6)
    body = list(range(1 if kind == "csv" else 0, max(1, len(lines) - 1)))
    if op == 0 and body:  # a huge / negative / NaN number in place of one value
        i = rng.choice(body)
        sep = "," if kind == "csv" else " "
        fields = lines[i].split(sep)
        j = rng.randrange(len(fields))
        n = rng.choice(HUGE_NUMBERS)
        if kind == "libsvm" and ":" in fields[j] and rng.random() < 0.5:
            fields[j] = n + ":" + fields[j].split(":", 1)[1]  # the index, not the value
        elif kind == "libsvm" and ":" in fields[j]:
            fields[j] = fields[j].split(":", 1)[0] + ":" + n
        else:
            fields[j] = n
        lines[i] = sep.join(fields)
        return "\n".join(lines), "number:" + n
    if op == 1 and body:  # duplicated rows
        i = rng.choice(body)
        lines[i:i] = [lines[i]] * rng.randint(1, 50)
        return "\n".join(lines), "duplicate-rows"
    if op == 2 and body:  # deleted rows (down to none)
        keep = rng.randint(0, len(body))
        lines = ([lines[0]] if kind == "csv" else []) + [lines[i] for i in sorted(rng.sample(body, keep))]
        return "\n".join(lines) + "\n", f"keep-{keep}-rows"
    if op == 3 and kind == "libsvm" and body:  # one huge feature index
        i = rng.choice(body)
        lines[i] += " " + rng.choice(["10000000", "9999999", "2147483648", "99999999999999999999"]) + ":1"
        return "\n".join(lines), "huge-index"
    if op == 4 and kind == "csv":  # header damage: a column dropped, duplicated or renamed
        h = lines[0].split(",")
        j = rng.randrange(len(h))
        choice = rng.randrange(3)
        if choice == 0:
            del h[j]
        elif choice == 1:
            h.insert(j, h[j])
        else:
            h[j] = rng.choice(["label", "path", "", "x"])
        lines[0] = ",".join(h)
        return "\n".join(lines), "header"
    data, name = mutate_bytes(rng, text.encode())
    return data.decode("latin-1"), name


def mutate_npy(rng, data):
    header_len = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + header_len].decode("latin-1")
    payload = data[10 + header_len:]
    op = rng.randrange(5)
    if op == 0:  # another shape
        d = json.loads(header[header.index("(") :header.index(")") + 1].replace("(", "[").replace(")", "]").replace(", ]", "]").replace(",]", "]"))
        d = [rng.choice([0, 1, 2, 3, 2**31, 2**62, -1, s + 1, s - 1, s * 2]) if rng.random() < 0.7 else s for s in d]
        new = header[:header.index("(")] + "(" + ", ".join(map(str, d)) + ("," if len(d) == 1 else "") + ")" + header[header.index(")") + 1:]
        return data[:8] + struct.pack("<H", len(new)) + new.encode("latin-1") + payload, "shape"
    if op == 1:  # another dtype
        new = header
        for a in ["<f8", "<f4", "<i8", "|u1", "<c16", ">f8", "|b1", "<U3", "|O"]:
            new = header.replace("'<f8'", repr(rng.choice(["<f4", "<i8", "|u1", "<c16", ">f8", "|b1", "<U3", "|O", "<f2"]))).replace(
                "'<f4'", repr(rng.choice(["<f8", "<i4", "|u1"]))).replace("'<i8'", repr(rng.choice(["<f8", "<f4", "|u1", "<i2"])))
            break
        return data[:8] + struct.pack("<H", len(new)) + new.encode("latin-1") + payload, "dtype"
    if op == 2 and payload:  # NaN / inf / huge values in the payload
        p = bytearray(payload)
        width = 8 if "'<f8'" in header or "'<i8'" in header else 4
        for _ in range(rng.randint(1, 10)):
            i = rng.randrange(max(1, len(p) // width)) * width
            v = rng.choice([float("nan"), float("inf"), -float("inf"), 1e308, -1e308, 3e38, -1.0, 1e-320])
            if "'<f8'" in header:
                p[i:i + 8] = struct.pack("<d", v)
            elif "'<f4'" in header:
                p[i:i + 4] = struct.pack("<f", max(min(v, 3.4e38), -3.4e38) if v == v else v)
            else:
                p[i:i + width] = struct.pack("<q" if width == 8 else "<i", rng.choice([-1, 2**31 - 1, -(2**31)]))
        return data[:10 + header_len] + bytes(p), "values"
    if op == 3:  # header text damage
        new = header.replace(rng.choice(["descr", "shape", "fortran_order", "False", ":"]), rng.choice(["", "x", "True", "::"]), 1)
        return data[:8] + struct.pack("<H", len(new)) + new.encode("latin-1") + payload, "header"
    return mutate_bytes(rng, data)


def json_paths(value, prefix=()):
    """Every (path, value) in a JSON document."""
    yield prefix, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from json_paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from json_paths(v, prefix + (i,))


def json_set(doc, path, value):
    for p in path[:-1]:
        doc = doc[p]
    if value is KeyError:
        del doc[path[-1]]
    else:
        doc[path[-1]] = value


def mutate_json(rng, data):
    try:
        doc = json.loads(data)
    except ValueError:
        return mutate_bytes(rng, data)
    nodes = [(p, v) for p, v in json_paths(doc) if p]
    op = rng.randrange(7)
    if op == 0:  # huge / negative / NaN number
        nums = [(p, v) for p, v in nodes if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if nums:
            p, v = rng.choice(nums)
            n = rng.choice([1e308, -1e308, -1, 0, 2**62, -(2**62), 2**31, 1e-320, float("nan"), float("inf"), v * 1e6, -v])
            if isinstance(v, int) and rng.random() < 0.6:
                n = rng.choice([0, -1, 2**62, 2**63 - 1, 2**31, v + 1, v - 1, v * 1000])
            json_set(doc, p, n)
            return json.dumps(doc).encode(), f"number:{'/'.join(map(str, p[-2:]))}"
    if op == 1:  # emptied array
        arrays = [(p, v) for p, v in nodes if isinstance(v, list) and v]
        if arrays:
            p, v = rng.choice(arrays)
            json_set(doc, p, [])
            return json.dumps(doc).encode(), f"empty:{'/'.join(map(str, p[-2:]))}"
    if op == 2:  # deleted key
        keys = [(p, v) for p, v in nodes if isinstance(p[-1], str)]
        if keys:
            p, v = rng.choice(keys)
            json_set(doc, p, KeyError)
            return json.dumps(doc).encode(), f"delete:{p[-1]}"
    if op == 3:  # shortened or lengthened array
        arrays = [(p, v) for p, v in nodes if isinstance(v, list) and v]
        if arrays:
            p, v = rng.choice(arrays)
            json_set(doc, p, v[:-1] if rng.random() < 0.5 else v + v[-1:])
            return json.dumps(doc).encode(), f"resize:{'/'.join(map(str, p[-2:]))}"
    if op == 4:  # wrong type
        if nodes:
            p, v = rng.choice(nodes)
            json_set(doc, p, rng.choice([None, "x", [], {}, True, [[1]]]))
            return json.dumps(doc).encode(), f"type:{'/'.join(map(str, p[-2:]))}"
    if op == 5:  # duplicated class names or empty strings
        strs = [(p, v) for p, v in nodes if isinstance(v, str)]
        if strs:
            p, v = rng.choice(strs)
            json_set(doc, p, rng.choice(["", " ", "0", "nan", "x" * 1000]))
            return json.dumps(doc).encode(), "string"
    return mutate_bytes(rng, data)


# ---------------------------------------------------------------- runs

NON_FINITE = {"nan", "-nan", "inf", "-inf", "+inf", "infinity", "-infinity"}


def has_non_finite(out):
    """Non-finite numbers in a command's output: the numeric columns of a CSV (not `label` or
    `path`, whose text can be anything), the values of a JSON document (not class names), and
    the "NaN"/"Infinity" strings a model file stores non-finite numbers as."""
    text = out.decode(errors="replace")
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except ValueError:
            return False
        doc.pop("classes", None)
        for path, v in json_paths(doc):
            if path and path[-1] == "label":
                continue
            if v is None or (isinstance(v, float) and v != v) or (isinstance(v, float) and abs(v) == float("inf")):
                return True
            if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
                return True
        return False
    lines = text.split("\n")
    header = next(csv.reader(lines[:1]), [])
    numeric = [i for i, h in enumerate(header) if h not in ("label", "path")]
    for row in csv.reader(lines[1:]):
        if any(i < len(row) and row[i].strip().lower() in NON_FINITE for i in numeric):
            return True
    return False


def classify(rc, out, err, hung):
    if hung:
        return "hang"
    if rc < 0 or rc >= 128:
        return "crash"
    text_err = err.decode(errors="replace").strip()
    if rc == 0:
        return "unclear:nan-output" if has_non_finite(out) else None
    if len([l for l in text_err.splitlines() if l.strip()]) != 1:
        return "unclear:error-lines"
    return None


def commands(cvtool, mutant, kind, seeds, out_dir):
    """The cvtool runs of one mutant."""
    tables, models, pca = seeds
    out = os.path.join(out_dir, "out")
    runs = []
    if kind == "model":
        table = mutant[1]
        runs.append([cvtool, "predict", mutant[0], table, "--proba"])
        runs.append([cvtool, "evaluate", mutant[0], table, "--json"])
        if mutant[2]:
            runs.append([cvtool, "pca", "transform", mutant[0], table])
    elif kind == "pca":
        runs.append([cvtool, "pca", "transform", mutant[0], mutant[1]])
    else:
        path, fmt, model, pca_file = mutant
        runs.append([cvtool, "train", path, "-o", out + ".json"])
        if model:
            runs.append([cvtool, "predict", model, path, "--proba"])
            runs.append([cvtool, "evaluate", model, path, "--json"])
        if pca_file:
            runs.append([cvtool, "pca", "transform", pca_file, path])
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cvtool", default=os.path.join(ROOT, ".build/release/cvtool"))
    ap.add_argument("--count", type=int, default=2000, help="mutants to write (default 2000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=20, help="seconds before a run counts as a hang")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", help="copy every failing mutant into this folder")
    args = ap.parse_args()
    if not os.access(args.cvtool, os.X_OK):
        sys.exit(f"{args.cvtool} not found: swift build -c release --product cvtool")
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="mutate_tables.")
    try:
        seeds = make_seeds(args.cvtool, work)
        tables, models, pca = seeds
        jobs = []
        for n in range(args.count):
            d = os.path.join(work, f"m{n}")
            os.mkdir(d)
            pick = rng.random()
            if pick < 0.45:  # a table
                src, fmt = rng.choice(tables)
                data = open(src, "rb").read()
                if fmt == "npy":
                    data, op = mutate_npy(rng, data)
                else:
                    text, op = mutate_text_table(rng, data.decode(), fmt)
                    data = text.encode("latin-1", errors="replace")
                path = os.path.join(d, os.path.basename(src))
                open(path, "wb").write(data)
                if fmt == "npy":  # its labels beside it, sometimes mutated too
                    lab = open(os.path.join(work, "binary.labels.npy"), "rb").read()
                    if rng.random() < 0.3:
                        lab, op2 = mutate_npy(rng, lab)
                        op += "+labels:" + op2
                    open(path[:-4] + ".labels.npy", "wb").write(lab)
                    names = open(os.path.join(work, "binary.classes.txt"), "rb").read()
                    if rng.random() < 0.2:
                        names, op3 = mutate_bytes(rng, names)
                        op += "+classes:" + op3
                    if rng.random() < 0.9:
                        open(path[:-4] + ".classes.txt", "wb").write(names)
                fitted = [m for m, t in models if os.path.splitext(t)[1] == os.path.splitext(src)[1] or fmt == "csv"]
                model = rng.choice(fitted) if fitted and "scaler_set" not in src else None
                pca_file = pca if "blobs" in src else None
                jobs.append((n, d, (path, fmt, model, pca_file), "table", f"{os.path.basename(src)} {op}"))
            elif pick < 0.9:  # a model
                src, table = rng.choice(models)
                data, op = mutate_json(rng, open(src, "rb").read())
                path = os.path.join(d, os.path.basename(src))
                open(path, "wb").write(data)
                jobs.append((n, d, (path, table, '"pca"' in open(src).read()), "model", f"{os.path.basename(src)} {op}"))
            else:  # a PCA file
                data, op = mutate_json(rng, open(pca, "rb").read())
                path = os.path.join(d, "pca.json")
                open(path, "wb").write(data)
                jobs.append((n, d, (path, tables[0][0]), "pca", f"pca {op}"))

        def execute(job):
            n, d, mutant, kind, what = job
            found = []
            for cmd in commands(args.cvtool, mutant, kind, seeds, d):
                rc, out, err, hung = run(cmd, args.timeout, d)
                if rc == 0 and cmd[1] == "train":  # the model written is the output
                    with open(cmd[-1], "rb") as f:
                        out = f.read()
                verdict = classify(rc, out, err, hung)
                if verdict:
                    found.append((verdict, rc, " ".join(os.path.basename(c) if os.path.isabs(c) else c for c in cmd),
                                  err.decode(errors="replace").strip().splitlines()[:3]))
            return n, d, what, found

        failures = []
        runs = 0
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for n, d, what, found in pool.map(execute, jobs):
                runs += len(commands(args.cvtool, jobs[n][2], jobs[n][3], seeds, d))
                for f in found:
                    failures.append((n, what) + f)
                    print(f"mutant {n} ({what}): {f[0]} rc={f[1]} `{f[2]}` {f[3]}", flush=True)
                    if args.keep:
                        os.makedirs(args.keep, exist_ok=True)
                        shutil.copytree(d, os.path.join(args.keep, f"m{n}"), dirs_exist_ok=True)
        kinds = {}
        for f in failures:
            kinds[f[2].split(":")[0]] = kinds.get(f[2].split(":")[0], 0) + 1
        print(f"{args.count} mutants, {runs} runs: {kinds.get('crash', 0)} crashes, {kinds.get('hang', 0)} hangs, "
              f"{kinds.get('unclear', 0)} unclear failures")
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
