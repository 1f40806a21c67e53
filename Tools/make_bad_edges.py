#!/usr/bin/env python3
"""Adds the decoder-edge cases of the reliability issue to the broken-file corpus.

Python standard library only. Writes the files below into Fixtures/bad/ and (re)writes their
lines in Fixtures/bad/manifest.tsv, leaving every other line as it is; the README table lists
them too. Run from the repository root:

    python3 Tools/make_bad_edges.py
"""
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "Fixtures" / "bad"


def png_chunk(kind: bytes, data: bytes, length=None) -> bytes:
    n = len(data) if length is None else length
    return struct.pack(">I", n) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_text_huge_length() -> bytes:
    """A 4x4 gray PNG whose tEXt chunk claims 2^31-1 bytes (the PNG maximum) in a 7 KB file."""
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
    text = png_chunk(b"tEXt", b"Comment\0" + b"x" * 7000, length=(1 << 31) - 1)
    idat = png_chunk(b"IDAT", zlib.compress(b"\0\x80\x80\x80\x80" * 4))
    return b"\x89PNG\r\n\x1a\n" + ihdr + text + idat + png_chunk(b"IEND", b"")


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_progressive_header(width: int, height: int) -> bytes:
    """SOI, one flat quantisation table, SOF2 for one 8-bit component, one AC Huffman table
    whose only symbols are EOB14 (code 0) and EOB0 (code 10)."""
    dqt = jpeg_segment(0xDB, b"\x00" + b"\x01" * 64)
    sof2 = jpeg_segment(0xC2, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    counts = bytes([0, 2] + [0] * 14)  # two codes of length 2: 00 -> 0xE0, 01 -> 0x00
    dht = jpeg_segment(0xC4, b"\x10" + counts + b"\xE0\x00")
    return b"\xFF\xD8" + dqt + sof2 + dht


def ac_scan_header() -> bytes:
    return jpeg_segment(0xDA, b"\x01\x01\x00" + bytes([1, 63, 0]))  # Ss=1 Se=63 Ah=Al=0


def stuff(bits: str) -> bytes:
    bits += "1" * (-len(bits) % 8)
    out = bytearray()
    for i in range(0, len(bits), 8):
        b = int(bits[i:i + 8], 2)
        out.append(b)
        if b == 0xFF:
            out.append(0x00)
    return bytes(out)


def eob_run_scan(blocks: int) -> bytes:
    """Entropy data that ends the bands of `blocks` blocks with EOB14 runs of 32767."""
    bits = []
    left = blocks
    while left > 0:
        run = min(left, (1 << 15) - 1)
        if run >= 1 << 14:
            bits.append("00" + format(run - (1 << 14), "014b"))
        else:  # a short tail: EOB0 one block at a time
            bits.extend(["01"] * run)
        left -= run
    return stuff("".join(bits))


def jpeg_scan_budget() -> bytes:
    """16384x16384 progressive gray JPEG, ~10 KB: 40 valid AC scans that each end every block
    with long EOB runs. Each scan walks 2^22 blocks; 40 of them exceed the work budget."""
    size = 16384
    scan = ac_scan_header() + eob_run_scan((size // 8) ** 2)
    return jpeg_progressive_header(size, size) + scan * 40 + b"\xFF\xD9"


def jpeg_empty_scans() -> bytes:
    """The issue's file: 16384x16384 progressive JPEG with 999 scans that hold no data."""
    return jpeg_progressive_header(16384, 16384) + ac_scan_header() * 999 + b"\xFF\xD9"


def jpeg_scan_then_eoi() -> bytes:
    """A good baseline JPEG whose scan stops half-way, followed by a proper EOI marker."""
    jpg = (ROOT / "Fixtures" / "formats" / "jpeg" / "ycc420.jpg").read_bytes()
    sos = jpg.index(b"\xFF\xDA")
    data = sos + 2 + struct.unpack(">H", jpg[sos + 2:sos + 4])[0]
    cut = data + (len(jpg) - 2 - data) // 2
    head = jpg[:cut].rstrip(b"\xFF")
    return head + b"\xFF\xD9"


def idx_zero_image_size() -> bytes:
    """IDX image header: 2^31-1 images of 0x0 pixels, no data."""
    return b"\x00\x00\x08\x03" + struct.pack(">III", (1 << 31) - 1, 0, 0)


def pnm_magic_no_space() -> bytes:
    """'P513 7 255': no whitespace after the magic, then a 13x7 body."""
    return b"P513 7 255\n" + bytes(range(91))


NOT_RUN = "not measured (anchors not installed where this was generated)"

CASES = [
    ("png_text_huge_length.png", png_text_huge_length, "decoding", "too large",
     "tEXt chunk length 2^31-1 (the PNG maximum) in a 7 KB file; libpng only reports its chunk cap as a "
     "benign error and then allocates the chunk", NOT_RUN),
    ("jpeg_scan_budget.jpg", jpeg_scan_budget, "limitExceeded", "budget",
     "progressive 16384x16384 gray JPEG (17 KB) with 40 AC scans of EOB runs: scans x pixels beyond the "
     "decode work budget", NOT_RUN),
    ("jpeg_empty_scans.jpg", jpeg_empty_scans, "decoding", "truncated",
     "progressive 16384x16384 JPEG with 999 scans holding no data (libjpeg warns and fills zeros for "
     "each, minutes of work)", NOT_RUN),
    ("jpeg_scan_then_eoi.jpg", jpeg_scan_then_eoi, "decoding", "truncated",
     "baseline JPEG whose scan stops half-way, followed by EOI (libjpeg warns JWRN_HIT_MARKER and "
     "pads with grey)", NOT_RUN),
    ("idx_zero_image_size.idx", idx_zero_image_size, "decoding", "zero",
     "IDX dims (2^31-1) x 0 x 0 with no data", "spec reader raises ValueError (zero extent)"),
    ("pnm_magic_no_space.pgm", pnm_magic_no_space, "decoding", "whitespace",
     "'P513 7 255': no whitespace after the magic number", NOT_RUN),
]


def main():
    manifest = BAD / "manifest.tsv"
    names = {c[0] for c in CASES}
    lines = [l for l in manifest.read_text().splitlines() if l.split("\t")[0] not in names]
    for name, make, kind, must, _, _ in CASES:
        (BAD / name).write_bytes(make())
        lines.append(f"{name}\t{kind}\t{must}")
    manifest.write_text("\n".join(lines) + "\n")
    readme = BAD / "README.md"
    rows = [l for l in readme.read_text().splitlines() if not any(l.startswith(f"| {n} |") for n in names)]
    for name, _, kind, must, desc, anchors in CASES:
        rows.append(f"| {name} | {kind} | {must} | {desc} | {anchors} |")
    readme.write_text("\n".join(rows) + "\n")
    for name, *_ in CASES:
        print(f"{name}: {(BAD / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
