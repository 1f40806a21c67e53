#!/usr/bin/env python3
"""Mutation run of the image decoders through `cvtool info` and `cvtool convert`.

Python standard library only. Takes the small image fixtures (PNG, JPEG, PNM, NPY, IDX under
Fixtures/), writes mutants of them (byte flips, truncations, header field changes, chunk and
segment length changes, repeated segments), runs `cvtool info FILE` and
`cvtool convert FILE OUT.png` on each under `ulimit -v` and a timeout (IDX mutants also
through `cvtool hog FILE -o OUT.npy`, the reader of IDX image files), and reports:

- crashes: killed by a signal, or an exit status >= 128;
- hangs: still running at the timeout;
- unclear failures: an error that is not one line on stderr, an error that does not name the
  file, rc 0 from info where convert fails (or the reverse);
- leftovers: anything in the output folder after a failed convert (or a temporary file
  after any run).

Build once, then run from the repository root:

    swift build -c release --product cvtool
    python3 Tools/mutate_images.py --count 10000

The mutants that misbehave are kept under WORK/findings/ with a findings.tsv; the summary is
printed and written to WORK/summary.json. Exit status 1 when anything was found.
"""
import argparse
import gzip
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIRS = ["Fixtures/formats/png", "Fixtures/formats/jpeg", "Fixtures/formats/pnm", "Fixtures/npy", "Fixtures/idx",
             "Fixtures/images"]
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".pgm", ".ppm", ".pbm", ".pnm", ".npy"}
MAX_SEED_BYTES = 64 * 1024
INTERESTING_32 = [0, 1, 2, 7, 8, 255, 256, 0x7FFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 16384, 65500]
INTERESTING_16 = [0, 1, 2, 3, 8, 255, 0x7FFF, 0x8000, 0xFFFF, 16384, 65500]


# ---- seeds ---------------------------------------------------------------------------------

def kind_of(data: bytes) -> str:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:2] == b"\xFF\xD8":
        return "jpeg"
    if data[:6] == b"\x93NUMPY":
        return "npy"
    if data[:1] == b"P" and data[1:2] in b"123456":
        return "pnm"
    if data[:2] == b"\x1F\x8B":
        return "gz"
    if data[:2] == b"\x00\x00" and len(data) >= 4:
        return "idx"
    return "other"


def load_seeds():
    seeds = []
    for d in SEED_DIRS:
        for p in sorted((ROOT / d).glob("*")):
            if not p.is_file() or p.stat().st_size > MAX_SEED_BYTES:
                continue
            if p.suffix.lower() not in IMAGE_SUFFIXES and "idx" not in p.name:
                continue
            data = p.read_bytes()
            kind = kind_of(data)
            if kind != "other":
                seeds.append((p.relative_to(ROOT).as_posix(), kind, data))
    return seeds


# ---- structure -----------------------------------------------------------------------------

def png_chunks(data):
    """(offset, length, type) of each chunk as far as the file parses."""
    out, pos = [], 8
    while pos + 8 <= len(data):
        n = struct.unpack(">I", data[pos:pos + 4])[0]
        out.append((pos, n, data[pos + 4:pos + 8]))
        if n > len(data):
            break
        pos += 12 + n
    return out


def jpeg_segments(data):
    """(offset, length field, marker) of each marker segment up to and including SOS."""
    out, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in (0xD8, 0xD9) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        n = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        out.append((pos, n, marker))
        if marker == 0xDA:
            break
        pos += 2 + n
    return out


def png_fix_crc(data: bytearray, offset: int):
    n = struct.unpack(">I", data[offset:offset + 4])[0]
    end = offset + 8 + n
    if end + 4 <= len(data):
        data[end:end + 4] = struct.pack(">I", zlib.crc32(bytes(data[offset + 4:end])) & 0xFFFFFFFF)


# ---- mutators ------------------------------------------------------------------------------

def flip_bytes(r, data, kind):
    d = bytearray(data)
    for _ in range(r.choice([1, 1, 2, 4, 8, 16])):
        i = r.randrange(len(d))
        d[i] = d[i] ^ (1 << r.randrange(8)) if r.random() < 0.5 else r.randrange(256)
    return bytes(d), "flip"


def flip_header_bytes(r, data, kind):
    """Flips within the first 64 bytes, where the headers live."""
    d = bytearray(data)
    for _ in range(r.choice([1, 2, 3])):
        i = r.randrange(min(64, len(d)))
        d[i] = r.randrange(256)
    return bytes(d), "flip-header"


def truncate(r, data, kind):
    n = r.choice([r.randrange(len(data)), r.randrange(min(len(data), 80)), len(data) - r.randrange(1, 16)])
    return data[:max(0, n)], "truncate"


def png_header_field(r, data, kind):
    d = bytearray(data)
    field = r.choice(["width", "height", "depth", "color", "interlace", "filter"])
    off = {"width": 16, "height": 20, "depth": 24, "color": 25, "interlace": 28, "filter": 27}[field]
    if field in ("width", "height"):
        d[off:off + 4] = struct.pack(">I", r.choice(INTERESTING_32 + [r.randrange(1, 5000)]))
    else:
        d[off] = r.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 255])
    if r.random() < 0.8:
        png_fix_crc(d, 8)
    return bytes(d), f"png-{field}"


def png_chunk_length(r, data, kind):
    chunks = png_chunks(data)
    if not chunks:
        return flip_bytes(r, data, kind)
    off, n, typ = r.choice(chunks)
    d = bytearray(data)
    d[off:off + 4] = struct.pack(">I", r.choice(INTERESTING_32 + [max(0, n + r.randint(-4, 4))]))
    return bytes(d), f"png-length-{typ.decode('latin1')}"


def png_repeat_chunk(r, data, kind):
    chunks = [c for c in png_chunks(data) if c[0] + 12 + c[1] <= len(data)]
    if not chunks:
        return flip_bytes(r, data, kind)
    off, n, typ = r.choice(chunks)
    piece = data[off:off + 12 + n]
    times = r.choice([2, 3, 10, 200])
    return data[:off] + piece * times + data[off + 12 + n:], f"png-repeat-{typ.decode('latin1')}"


def png_insert_chunk(r, data, kind):
    """Inserts an ancillary chunk with a bogus (large) length after IHDR."""
    typ = r.choice([b"tEXt", b"zTXt", b"iTXt", b"iCCP", b"sPLT", b"prVt", b"eXIf"])
    body = bytes(r.randrange(256) for _ in range(r.choice([0, 8, 100])))
    n = r.choice([len(body), 0x7FFFFFFF, 0x10000000, len(body) + 1000])
    chunk = struct.pack(">I", n) + typ + body + struct.pack(">I", zlib.crc32(typ + body) & 0xFFFFFFFF)
    return data[:33] + chunk + data[33:], f"png-insert-{typ.decode()}"


def jpeg_segment_length(r, data, kind):
    segs = jpeg_segments(data)
    if not segs:
        return flip_bytes(r, data, kind)
    off, n, marker = r.choice(segs)
    d = bytearray(data)
    d[off + 2:off + 4] = struct.pack(">H", r.choice(INTERESTING_16 + [max(0, n + r.randint(-4, 4))]))
    return bytes(d), f"jpeg-length-{marker:02X}"


def jpeg_header_field(r, data, kind):
    sofs = [s for s in jpeg_segments(data) if s[2] in (0xC0, 0xC1, 0xC2, 0xC3)]
    if not sofs:
        return flip_header_bytes(r, data, kind)
    off = sofs[0][0]
    d = bytearray(data)
    field = r.choice(["height", "width", "precision", "components", "sampling", "quant"])
    if field == "height":
        d[off + 5:off + 7] = struct.pack(">H", r.choice(INTERESTING_16))
    elif field == "width":
        d[off + 7:off + 9] = struct.pack(">H", r.choice(INTERESTING_16))
    elif field == "precision":
        d[off + 4] = r.choice([0, 1, 8, 12, 16, 255])
    elif field == "components":
        d[off + 9] = r.choice([0, 1, 2, 3, 4, 5, 255])
    elif field == "sampling" and off + 11 < len(d):
        d[off + 11] = r.choice([0x00, 0x11, 0x22, 0x44, 0x55, 0xFF, 0x14, 0x41])
    elif off + 12 < len(d):
        d[off + 12] = r.choice([0, 1, 3, 4, 255])
    return bytes(d), f"jpeg-{field}"


def jpeg_repeat_segment(r, data, kind):
    """Repeats a header segment, or the SOS header with part of its scan (many scans)."""
    segs = jpeg_segments(data)
    if not segs:
        return flip_bytes(r, data, kind)
    off, n, marker = r.choice(segs)
    end = off + 2 + n
    if marker == 0xDA:
        end = min(len(data), end + r.choice([0, 16, 256]))
    piece = data[off:end]
    times = r.choice([2, 5, 50, 1000])
    return data[:off] + piece * times + data[off:], f"jpeg-repeat-{marker:02X}x{times}"


def jpeg_scan_then_eoi(r, data, kind):
    segs = [s for s in jpeg_segments(data) if s[2] == 0xDA]
    if not segs:
        return truncate(r, data, kind)
    start = segs[0][0] + 2 + segs[0][1]
    cut = r.randrange(start, max(start + 1, len(data) - 2))
    return data[:cut].rstrip(b"\xFF") + b"\xFF\xD9", "jpeg-scan-eoi"


def pnm_header_field(r, data, kind):
    m = re.match(rb"(P[1-6])(\s+(?:#[^\n]*\n\s*)*)(\d+)(\s+)(\d+)(\s+)(\d+)?", data)
    if not m:
        return flip_header_bytes(r, data, kind)
    tokens = [b"0", b"1", b"-3", b"65535", b"65536", b"70000", b"4294967296", b"99999999999999999999999",
              b"2", b"100000", b"abc", b""]
    group = r.choice([3, 5, 7] if m.group(7) else [3, 5])
    new = r.choice(tokens)
    s, e = m.span(group)
    if r.random() < 0.15:  # drop the separator after the magic
        return data[:2] + data[m.end(2):], "pnm-no-separator"
    return data[:s] + new + data[e:], f"pnm-field{group}"


def npy_header_field(r, data, kind):
    if len(data) < 10:
        return flip_bytes(r, data, kind)
    hl = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + hl].decode("latin1", "replace")
    choice = r.choice(["shape", "descr", "order", "hlen", "version"])
    if choice == "shape":
        dims = r.choice(["(0, 4)", "(4, 0)", "(2147483648, 2147483648)", "(-1, 4)", "(1, 1, 1, 1)", "(3,)", "()",
                         "(100000, 100000)", "(16384, 16384, 3)", "(2, 2, 5)"])
        header = re.sub(r"\(.*?\)", dims, header, count=1)
    elif choice == "descr":
        header = re.sub(r"'descr': '[^']*'", "'descr': '%s'" % r.choice(["<f2", "|b1", ">u2", "<i8", "<U4", "|O", "<c8", "x"]),
                        header)
    elif choice == "order":
        header = header.replace("False", "True") if "False" in header else header.replace("True", "False")
    elif choice == "hlen":
        return data[:8] + struct.pack("<H", r.choice([0, 1, hl - 1, hl + 1, 0xFFFF])) + data[10:], "npy-hlen"
    else:
        return data[:6] + bytes([r.choice([0, 1, 2, 3, 9]), 0]) + data[8:], "npy-version"
    body = header.encode("latin1")
    body = body[:hl].ljust(hl, b" ") if r.random() < 0.5 else body
    return data[:8] + struct.pack("<H", len(body)) + body + data[10 + hl:], f"npy-{choice}"


def idx_header_field(r, data, kind):
    if kind == "gz":
        try:
            raw = zlib.decompress(data, 31)
        except zlib.error:
            return flip_bytes(r, data, kind)
        mutated, how = idx_header_field(r, raw, "idx")
        return gzip.compress(mutated), how + "-gz"
    d = bytearray(data)
    if len(d) < 8:
        return flip_bytes(r, data, kind)
    ndim = d[3]
    field = r.choice(["type", "ndim", "dim", "dim", "dim"])
    if field == "type":
        d[2] = r.choice([0x00, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0xFF])
    elif field == "ndim":
        d[3] = r.choice([0, 1, 2, 3, 4, 200, 255])
    elif ndim:
        i = r.randrange(min(ndim, (len(d) - 4) // 4))
        d[4 + 4 * i:8 + 4 * i] = struct.pack(">I", r.choice(INTERESTING_32))
    return bytes(d), f"idx-{field}"


def repeat_slice(r, data, kind):
    a = r.randrange(len(data))
    b = min(len(data), a + r.choice([1, 4, 16, 64, 512]))
    return data[:b] + data[a:b] * r.choice([2, 10, 100]) + data[b:], "repeat-slice"


GENERIC = [flip_bytes, flip_bytes, flip_header_bytes, truncate, repeat_slice]
BY_KIND = {
    "png": [png_header_field, png_chunk_length, png_chunk_length, png_repeat_chunk, png_insert_chunk],
    "jpeg": [jpeg_header_field, jpeg_segment_length, jpeg_repeat_segment, jpeg_scan_then_eoi],
    "pnm": [pnm_header_field, pnm_header_field],
    "npy": [npy_header_field, npy_header_field],
    "idx": [idx_header_field, idx_header_field],
    "gz": [idx_header_field],
}


def mutate(r, data, kind):
    out, how = r.choice(GENERIC + BY_KIND.get(kind, []) * 2)(r, data, kind)
    if r.random() < 0.1:  # a second mutation now and then
        out2, how2 = r.choice(GENERIC)(r, out or data, kind)
        return out2, f"{how}+{how2}"
    return out, how


# ---- running -------------------------------------------------------------------------------

def run(cmd, timeout, vmem_kb):
    """(rc, stderr, seconds); rc None on timeout, negative for a signal."""
    start = time.monotonic()
    p = subprocess.Popen(["bash", "-c", f'ulimit -v {vmem_kb}; exec "$@"', "run"] + cmd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        _, err = p.communicate()
        rc = None
    return rc, err.decode("utf-8", "replace"), time.monotonic() - start


def check_one(job):
    """Runs info and convert on one mutant; returns (name, how, [problems], timings)."""
    name, how, path, out_dir, args = job
    problems = []
    info = run([args.cvtool, "info", str(path)], args.timeout, args.vmem)
    out = out_dir / (path.stem + ".png")
    conv = run([args.cvtool, "convert", str(path), str(out)], args.timeout, args.vmem)
    runs = [("info", info), ("convert", conv)]
    kept = {out.name} if conv[0] == 0 else set()
    if path.suffix == ".idx":  # info and convert read images only; hog reads IDX image files
        table = out_dir / (path.stem + ".npy")
        hog = run([args.cvtool, "hog", str(path), "--cell", "4x4", "--block", "1x1", "-o", str(table)],
                  args.timeout, args.vmem)
        runs.append(("hog", hog))
        kept |= {table.name} if hog[0] == 0 else set()
    for cmd, (rc, err, _) in runs:
        if rc is None:
            problems.append(f"hang: {cmd} still running after {args.timeout} s")
        elif rc < 0 or rc >= 128:
            problems.append(f"crash: {cmd} rc {rc}: {err.strip()[-300:]!r}")
        elif rc != 0 and cmd != "hog":  # hog lists skipped inputs before its error, by design
            lines = err.strip().splitlines()
            if len(lines) != 1:
                problems.append(f"unclear: {cmd} error is {len(lines)} lines: {err.strip()[:300]!r}")
            elif str(path) not in lines[0]:
                problems.append(f"unclear: {cmd} error does not name the file: {lines[0][:300]!r}")
    if info[0] is not None and conv[0] is not None and 0 <= info[0] < 128 and 0 <= conv[0] < 128:
        if (info[0] == 0) != (conv[0] == 0):
            problems.append(f"unclear: info rc {info[0]} but convert rc {conv[0]}: {(info[1] or conv[1]).strip()[:300]!r}")
    leftovers = sorted(p.name for p in out_dir.iterdir() if p.name not in kept)
    if leftovers:
        problems.append(f"leftover: {leftovers[:5]}")
    for p in out_dir.iterdir():
        p.unlink()
    return name, how, problems, tuple(t for _, (_, _, t) in runs), conv[0] == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cvtool", default=str(ROOT / ".build" / "release" / "cvtool"))
    ap.add_argument("--count", type=int, default=10000, help="mutants to write and run (default 10000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    ap.add_argument("--timeout", type=float, default=20, help="seconds per command (default 20)")
    ap.add_argument("--vmem", type=int, default=4000000, help="ulimit -v in KiB (default 4000000)")
    ap.add_argument("--work", default="/tmp/cvtool-mutants", help="work folder, emptied first")
    args = ap.parse_args()
    if not os.access(args.cvtool, os.X_OK):
        sys.exit(f"mutate_images: no cvtool at {args.cvtool}; run `swift build -c release --product cvtool`")

    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    (work / "in").mkdir(parents=True)
    (work / "findings").mkdir()
    seeds = load_seeds()
    r = random.Random(args.seed)
    jobs = []
    for i in range(args.count):
        src, kind, data = seeds[i % len(seeds)]
        mutant, how = mutate(r, data, kind)
        ext = Path(src).suffix if Path(src).suffix.lower() in IMAGE_SUFFIXES else ".idx"
        path = work / "in" / f"m{i:05d}{ext}"
        path.write_bytes(mutant)
        out_dir = work / "out" / f"w{i % (4 * args.jobs)}"
        out_dir.mkdir(parents=True, exist_ok=True)
        jobs.append((f"{path.name} <- {src}", how, path, out_dir, args))

    # One output folder per job slot so that leftovers are attributed to the right mutant.
    slots = {}
    results = []
    started = time.monotonic()

    def run_slot(slot_jobs):
        return [check_one(j) for j in slot_jobs]

    for j in jobs:
        slots.setdefault(j[3], []).append(j)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for chunk in pool.map(run_slot, slots.values()):
            results.extend(chunk)

    counts = {"crash": 0, "hang": 0, "unclear": 0, "leftover": 0}
    slowest = max((max(r[3]) for r in results), default=0)
    decoded = sum(1 for r in results if r[4])
    with open(work / "findings" / "findings.tsv", "w") as f:
        for name, how, problems, *_ in results:
            for p in problems:
                counts[p.split(":")[0]] += 1
                f.write(f"{name}\t{how}\t{p}\n")
            if problems:
                mutant = work / "in" / name.split(" ")[0]
                shutil.copy(mutant, work / "findings" / mutant.name)
    summary = {"mutants": len(results), "seeds": len(seeds), "runs": sum(len(r[3]) for r in results), "converted": decoded,
               "refused": len(results) - decoded, **counts,
               "slowest_run_s": round(slowest, 2), "wall_s": round(time.monotonic() - started, 1),
               "command": " ".join(sys.argv)}
    (work / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary))
    if any(counts.values()):
        print(f"findings: {work / 'findings' / 'findings.tsv'}")
        with open(work / "findings" / "findings.tsv") as f:
            for line in list(f)[:40]:
                print("  " + line.rstrip())
    sys.exit(1 if any(counts.values()) else 0)


if __name__ == "__main__":
    main()
