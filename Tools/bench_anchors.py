#!/usr/bin/env python3
"""Side-by-side benchmark: `cvtool bench` against the Python anchors.

Usually started through `Tools/bench`, which prepares the venv and builds cvtool.

For every op in OPS, every input image of that op and every thread count, it runs

    cvtool bench OP IMAGE --threads T --repeat N --min-time S --json [op args]

(cvtool prints one JSON object with at least `median_ms` and `min_ms`) and times each
anchor in this process with the same method: one warm-up call, then N calls timed with
time.perf_counter — or more, until the timed calls add up to S seconds (default 0.2), so
that sub-millisecond medians settle — median reported.  File I/O is excluded on both sides.
With --rounds K, ours and the anchors are measured alternately K times per row; the table
gives the medians over the rounds and the median of the per-round ratios.

Output: a Markdown table on stdout, `.bench/results.json` with every number.

Adding an op: append a dict to OPS (see the `Op` docstring); nothing else changes.
"""
from __future__ import annotations

import argparse
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import cv2
import PIL
from PIL import Image
import skimage
from skimage.color import rgb2gray

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PHOTOS = ROOT / "Fixtures" / "images"
# 1024sq and awkward (a prime width, 1021 × 769) are used by the FFT ops.
SIZES = {"1080p": (1920, 1080), "4k": (3840, 2160), "1024sq": (1024, 1024), "awkward": (1021, 769)}


# --------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------

@dataclass
class Source:
    """One benchmark input: the file cvtool gets, its bytes, and its decoded RGB pixels."""
    name: str          # e.g. "coffee-1080p.png"
    path: Path
    data: bytes        # the encoded file (for decode ops)
    rgb: np.ndarray    # decoded, RGB(A) order, as cv2.imread(IMREAD_UNCHANGED) + BGR->RGB
    bgr: np.ndarray    # the same pixels in OpenCV order (for cv2 encoders)


def make_input(bench_dir: Path, name: str) -> Path:
    """Create `<photo>-<size>.<ext>` (e.g. coffee-4k.jpg) from Fixtures/images/<photo>.png.

    The photo is centre-cropped to 16:9 and resized with cv2.INTER_CUBIC; PNG is written with
    cv2.imwrite defaults, JPEG with cv2 quality 95.  Existing files are reused.
    """
    if "/" in name:  # a committed fixture used as it is, e.g. detect/images/vtest_0000.jpg
        return ROOT / "Fixtures" / name
    path = bench_dir / name
    if path.exists():
        return path
    stem, ext = name.rsplit(".", 1)
    photo, size = stem.rsplit("-", 1)
    w, h = SIZES[size]
    src = cv2.imread(str(FIXTURE_PHOTOS / f"{photo}.png"), cv2.IMREAD_COLOR)
    if src is None:
        raise SystemExit(f"bench: cannot read {FIXTURE_PHOTOS / photo}.png (run Tools/make_fixtures.py)")
    sh, sw = src.shape[:2]
    ch = min(sh, sw * h // w)
    cw = ch * w // h
    y0, x0 = (sh - ch) // 2, (sw - cw) // 2
    img = cv2.resize(src[y0:y0 + ch, x0:x0 + cw], (w, h), interpolation=cv2.INTER_CUBIC)
    bench_dir.mkdir(parents=True, exist_ok=True)
    tmp = bench_dir / f".tmp-{name}"
    params = [cv2.IMWRITE_JPEG_QUALITY, 95] if ext in ("jpg", "jpeg") else []
    ok, buf = cv2.imencode(f".{ext}", img, params)
    assert ok
    tmp.write_bytes(buf.tobytes())
    os.replace(tmp, path)
    return path


def load_source(bench_dir: Path, name: str) -> Source:
    path = make_input(bench_dir, name)
    data = path.read_bytes()
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    rgb = bgr[..., ::-1].copy() if bgr.ndim == 3 and bgr.shape[2] == 3 else bgr
    return Source(name, path, data, np.ascontiguousarray(rgb), np.ascontiguousarray(bgr))


# --------------------------------------------------------------------------
# the op table
# --------------------------------------------------------------------------

Factory = Callable[[np.ndarray, Source], Callable[[], Any]]


@dataclass
class Op:
    """One benchmarked operation.

    name:    the cvtool bench op name (`cvtool bench <name> ...`).
    args:    extra cvtool arguments (list of strings), e.g. ["--sigma", "2"].
    anchors: {anchor name: factory}; a factory gets (rgb, source) -- the decoded RGB uint8
             image and the Source (for .data/.bgr/.path) -- does all set-up outside the
             timing, and returns the zero-argument callable to time.
    images:  input names `<photo>-<size>.<ext>`; sizes "1080p" and "4k" (--quick keeps 1080p).
    """
    name: str
    args: list[str]
    anchors: dict[str, Factory]
    images: list[str] = field(default_factory=lambda: ["coffee-1080p.png", "coffee-4k.png"])


def _buf(src: Source) -> np.ndarray:
    return np.frombuffer(src.data, np.uint8)


def _pil_decode(rgb, src):
    data = src.data

    def run():
        with Image.open(io.BytesIO(data)) as im:
            im.load()
    return run


def _pil_encode(fmt, **kw):
    def factory(rgb, src):
        im = Image.fromarray(rgb)

        def run():
            b = io.BytesIO()
            im.save(b, fmt, **kw)
            return b
        return run
    return factory


def _pil_gray(rgb, src):
    im = Image.fromarray(rgb)
    return lambda: im.convert("L")


PNG_IMAGES = ["coffee-1080p.png", "coffee-4k.png"]
JPG_IMAGES = ["coffee-1080p.jpg", "coffee-4k.jpg"]

OPS: list[Op] = [
    Op("decode-png", [], {
        "cv2.imdecode(UNCHANGED)": lambda rgb, s: (lambda b=_buf(s): cv2.imdecode(b, cv2.IMREAD_UNCHANGED)),
        "PIL.Image.open+load": _pil_decode,
    }, PNG_IMAGES),
    Op("decode-jpeg", [], {
        "cv2.imdecode(COLOR)": lambda rgb, s: (lambda b=_buf(s): cv2.imdecode(b, cv2.IMREAD_COLOR)),
        "PIL.Image.open+load": _pil_decode,
    }, JPG_IMAGES),
    # OpenCV's PNG defaults (grfmt_png.cpp): zlib level 1 (Z_BEST_SPEED), strategy Z_RLE,
    # filter PNG_FILTER_SUB on every row.  Pillow's defaults: level 6, adaptive filters.
    Op("encode-png", [], {
        "cv2.imencode(.png)": lambda rgb, s: (lambda: cv2.imencode(".png", s.bgr)),
        "PIL save PNG (level 6)": _pil_encode("PNG"),
    }, PNG_IMAGES),
    # OpenCV's JPEG defaults: baseline, 4:2:0, standard Huffman tables (no optimize).
    Op("encode-jpeg", ["--quality", "95"], {
        "cv2.imencode(.jpg, q95)": lambda rgb, s: (
            lambda: cv2.imencode(".jpg", s.bgr, [cv2.IMWRITE_JPEG_QUALITY, 95])),
        "PIL save JPEG q95": _pil_encode("JPEG", quality=95),
    }, PNG_IMAGES),
    Op("gray", [], {
        "cv2.cvtColor(RGB2GRAY)": lambda rgb, s: (lambda: cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)),
        "PIL convert('L')": _pil_gray,
        "skimage rgb2gray (float64)": lambda rgb, s: (lambda: rgb2gray(rgb)),
    }, PNG_IMAGES),
    # Later issues add e.g.:
    # Op("blur", ["--sigma", "2"], {"cv2.GaussianBlur": lambda rgb, s: (
    #     lambda: cv2.GaussianBlur(rgb, (0, 0), 2))}, PNG_IMAGES),
]



def _load_module_ops() -> list[Op]:
    """Ops contributed by each module's `Tools/bench_ops_<module>.py`.

    Each such file has a list `OPS` of dicts: `op` (cvtool bench op), `args` (cvtool
    arguments), `anchor` / `label` (names for the table), `make` (gets the RGB uint8 image,
    returns the zero-argument callable to time), optional `gray` (the anchor runs on
    cv2's RGB2GRAY of the image, as cvtool's op does) and `images`.
    Entries with the same op and args share one cvtool measurement.
    """
    import importlib.util
    grouped: dict[tuple, Op] = {}
    for path in sorted(Path(__file__).resolve().parent.glob("bench_ops_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as e:  # noqa: BLE001 - one broken module must not hide the others
            print(f"bench: cannot load {path.name}: {e}", file=sys.stderr)
            continue
        for entry in getattr(module, "OPS", []):
            key = (entry["op"], tuple(entry.get("args", [])))
            images = entry.get("images", PNG_IMAGES)
            op = grouped.setdefault(key, Op(entry["op"], list(entry.get("args", [])), {}, images))
            label = entry.get("label") or entry.get("anchor", "anchor")
            anchor = entry.get("anchor", "")
            name = f"{anchor}: {label}" if anchor and anchor not in label else label

            def factory(rgb, s, make=entry["make"], gray=entry.get("gray", False)):
                x = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if gray and rgb.ndim == 3 else rgb
                return make(x)
            op.anchors[name] = factory
    return list(grouped.values())


OPS += _load_module_ops()


# --------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------

def time_callable(fn: Callable[[], Any], repeat: int, min_time: float) -> dict:
    """Median of `repeat` runs after a warm-up, or of more runs (at most 10 000) when they add
    up to less than `min_time` seconds: the same rule as `cvtool bench --min-time`."""
    fn()  # warm-up
    samples = []

    def once():
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000.0)

    once()
    runs = max(repeat, min(10_000, math.ceil(min_time * 1000.0 / max(samples[0], 1e-4))))
    for _ in range(runs - 1):
        once()
    return {"median_ms": statistics.median(samples), "min_ms": min(samples), "repeat": len(samples)}


def run_cvtool(cvtool: str | None, op: Op, src: Source, threads: int, repeat: int, min_time: float,
               timeout: float):
    """Returns (result dict or None, error string or None). Never raises."""
    if not cvtool:
        return None, "no cvtool"
    cmd = [cvtool, "bench", op.name, str(src.path), "--threads", str(threads), "--repeat", str(repeat),
           "--min-time", str(min_time), "--json", *op.args]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"{type(e).__name__}: {e}"
    if p.returncode != 0:
        msg = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
        return None, f"exit {p.returncode}: {msg[:200]}"
    try:
        line = [l for l in p.stdout.splitlines() if l.strip().startswith("{")][-1]
        res = json.loads(line)
        float(res["median_ms"])
        return res, None
    except Exception as e:  # noqa: BLE001 - any malformed output is an n/a cell
        return None, f"bad JSON from cvtool ({type(e).__name__}): {p.stdout.strip()[:200]}"


def _median_of(results: list) -> float | None:
    """Median of the rounds' medians (None when no round produced a result)."""
    values = [r["median_ms"] for r in results if r]
    return statistics.median(values) if values else None


def fmt_ms(v) -> str:
    if v is None:
        return "n/a"
    return f"{v:.3f}" if v < 10 else f"{v:.1f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="cvtool vs anchors benchmark")
    ap.add_argument("--cvtool", help="path of the cvtool binary (omit: 'ours' is n/a)")
    ap.add_argument("--ops", help="comma-separated op names (default: all): "
                    + ",".join(o.name for o in OPS))
    ap.add_argument("--labels", help="comma-separated strings: keep only the ops with an anchor label "
                    "containing one of them (e.g. 'median 3x3,filter2D 5x5')")
    ap.add_argument("--repeat", type=int, help="timed runs per measurement (default 15, --quick 5)")
    ap.add_argument("--min-time", type=float, default=0.2,
                    help="seconds of timed runs per measurement: short ops repeat more (default 0.2)")
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    ap.add_argument("--quick", action="store_true", help="1080p inputs only, 5 repeats")
    ap.add_argument("--bench-dir", type=Path, default=ROOT / ".bench")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per cvtool call")
    ap.add_argument("--rounds", type=int, default=1,
                    help="measure ours and the anchors alternately this many times per row and report "
                         "the medians over the rounds, and the median of the per-round ratios (default 1); "
                         "on a machine whose speed drifts, both sides then see the same conditions")
    args = ap.parse_args(argv)

    repeat = args.repeat or (5 if args.quick else 15)
    threads = [int(t) for t in args.threads.split(",") if t]
    ops = OPS
    if args.ops:
        wanted = [o.strip() for o in args.ops.split(",") if o.strip()]
        unknown = set(wanted) - {o.name for o in OPS}
        if unknown:
            ap.error(f"unknown op(s): {', '.join(sorted(unknown))}; known: {', '.join(o.name for o in OPS)}")
        ops = [o for o in OPS if o.name in wanted]
    if args.labels:
        keys = [k.strip() for k in args.labels.split(",") if k.strip()]
        ops = [o for o in ops if any(k in label for label in o.anchors for k in keys)]
    # Run the cvtool side once per (op, args, image, threads), whatever the number of anchors.

    cvtool = args.cvtool
    if cvtool and not (os.path.isfile(cvtool) and os.access(cvtool, os.X_OK)):
        print(f"bench: cvtool not found at {cvtool}; 'ours' column will be n/a", file=sys.stderr)
        cvtool = None

    sources: dict[str, Source] = {}
    rows = []
    cvtool_errors = set()
    for op in ops:
        images = [i for i in op.images if not (args.quick and "-4k" in i)]
        for img_name in images:
            if img_name not in sources:
                sources[img_name] = load_source(args.bench_dir, img_name)
            src = sources[img_name]
            for t in threads:
                cv2.setNumThreads(t)
                print(f"bench: {op.name} {img_name} threads={t}", file=sys.stderr)
                ours_rounds, anchor_rounds = [], {anchor: [] for anchor in op.anchors}
                err = None
                for _ in range(max(1, args.rounds)):
                    ours, err = run_cvtool(cvtool, op, src, t, repeat, args.min_time, args.timeout)
                    if err and cvtool:
                        cvtool_errors.add(f"{op.name}: {err}")
                    for anchor, factory in op.anchors.items():
                        try:
                            res = time_callable(factory(src.rgb, src), repeat, args.min_time)
                        except Exception as e:  # noqa: BLE001 - report, keep going
                            print(f"bench: anchor {anchor} failed: {e}", file=sys.stderr)
                            res = None
                        anchor_rounds[anchor].append(res)
                    ours_rounds.append(ours)
                ours_ms = _median_of(ours_rounds)
                for anchor in op.anchors:
                    anchor_ms = _median_of(anchor_rounds[anchor])
                    pairs = [(o["median_ms"], a["median_ms"]) for o, a in zip(ours_rounds, anchor_rounds[anchor])
                             if o and a and a["median_ms"]]
                    ratio = statistics.median(o / a for o, a in pairs) if pairs else None
                    rows.append({"op": op.name, "args": op.args, "image": img_name,
                                 "size": list(src.rgb.shape[1::-1]), "threads": t,
                                 "ours": ours_rounds, "ours_error": err, "anchor": anchor,
                                 "anchor_result": anchor_rounds[anchor],
                                 "ours_ms": ours_ms, "anchor_ms": anchor_ms, "ratio": ratio})

    print("| op | image | threads | ours ms | anchor | anchor ms | ratio (ours/anchor) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = "n/a" if r["ratio"] is None else f"{r['ratio']:.2f}"
        opname = " ".join([r["op"], *r["args"]]).replace("|", "\\|")
        print(f"| {opname} | {r['image']} | {r['threads']} | {fmt_ms(r['ours_ms'])} | {r['anchor']} | "
              f"{fmt_ms(r['anchor_ms'])} | {ratio} |")
    for e in sorted(cvtool_errors):
        print(f"bench: cvtool: {e}", file=sys.stderr)

    meta = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": platform.machine(), "cpu_count": os.cpu_count(), "platform": platform.platform(),
        "python": platform.python_version(), "numpy": np.__version__, "opencv": cv2.__version__,
        "pillow": PIL.__version__, "scikit-image": skimage.__version__,
        "repeat": repeat, "min_time_s": args.min_time, "threads": threads, "cvtool": cvtool, "rounds": args.rounds,
        "method": "median of max(N, runs filling min_time_s) after 1 warm-up; with rounds > 1, medians over the "
                  "alternating rounds and the median of the per-round ratios",
    }
    args.bench_dir.mkdir(parents=True, exist_ok=True)
    out = args.bench_dir / "results.json"
    tmp = args.bench_dir / ".results.json.tmp"
    tmp.write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    os.replace(tmp, out)
    print(f"bench: wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
