#if canImport(Glibc)
import Glibc
#endif

/// Allocation of pixel buffers.
///
/// Small buffers come from the ordinary allocator, 64-byte aligned. Buffers of 4 MiB and more
/// (a 1080p RGB image is 6 MiB) are 2 MiB aligned, padded to whole 2 MiB pages and advised
/// for transparent huge pages. The C allocator hands such sizes straight to `mmap` and back
/// to `munmap` on free, so every new output image is first-touched page by page; with 4 KiB
/// pages that is one fault per 4 KiB — about 6 000 for a 4K RGB image, 10–13 ms on a VM,
/// longer than a resize takes. With huge pages it is one fault per 2 MiB. NumPy advises its
/// large arrays the same way, so this also keeps benchmarks against NumPy-based anchors fair.
/// Where the kernel's policy is `never`, the advice is a no-op.
enum PixelMemory {
    static let hugePageBytes = 2 << 20
    /// Byte count from which buffers get huge-page advice (NumPy uses the same threshold).
    static let hugePageThreshold = 4 << 20

    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let bytes = max(byteCount, 1)
        guard bytes >= hugePageThreshold else {
            return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        }
        #if os(Linux)
        let padded = (bytes + hugePageBytes - 1) / hugePageBytes * hugePageBytes
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, hugePageBytes, padded) == 0, let pointer else {
            fatalError("out of memory allocating \(bytes) bytes of pixels")
        }
        _ = madvise(pointer, padded, MADV_HUGEPAGE)
        return pointer
        #else
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        #endif
    }

    /// Releases memory from ``allocate(byteCount:)`` with the same `byteCount`.
    static func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        if max(byteCount, 1) >= hugePageThreshold {
            free(pointer)
            return
        }
        #endif
        pointer.deallocate()
    }
}
