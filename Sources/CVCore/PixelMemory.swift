import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Allocation of pixel buffers.
///
/// The C allocator serves large blocks with `mmap` and returns them with `munmap` (or trims
/// them off the heap), so in a loop that makes a new output image per call every output is
/// first-touched page by page: one fault per 4 KiB, about 6 000 for a 4K RGB image — which
/// can cost more than the kernel that fills it — or not at all, depending on the allocator's
/// history in the process (figures in docs/performance.md). Two measures make this
/// cheap and predictable:
///
/// - **Reuse.** Blocks of 256 KiB and more are kept after release, up to
///   ``cacheLimitBytes`` in total and ``cacheLimitBlocks`` blocks (oldest released first), and
///   handed out again for a request of the same rounded size. Image pipelines allocate the
///   same few sizes over and over. ``releaseCachedBlocks()`` returns the cache to the system.
/// - **Huge pages.** Blocks of 4 MiB and more are 2 MiB aligned, padded to whole 2 MiB pages
///   and advised for transparent huge pages: one fault per 2 MiB the first time. NumPy advises
///   its large arrays the same way. Where the kernel's policy is `never`, this is a no-op.
///
/// Smaller buffers come from Swift's allocator, 64-byte aligned. Kernels take their image-sized
/// scratch planes from here too (``allocate(_:capacity:)``).
public enum PixelMemory {
    static let hugePageBytes = 2 << 20
    /// Byte count from which buffers get huge-page advice (NumPy uses the same threshold).
    static let hugePageThreshold = 4 << 20
    /// Byte count from which released blocks are kept for reuse.
    static let cacheThreshold = 256 << 10
    /// Most bytes the cache of released blocks holds.
    public static let cacheLimitBytes = 128 << 20
    /// Most blocks the cache of released blocks holds.
    public static let cacheLimitBlocks = 16

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: [(bytes: Int, pointer: UnsafeMutableRawPointer)] = []
    nonisolated(unsafe) private static var cachedBytes = 0

    /// The size actually reserved for a request: whole 2 MiB pages from the huge-page threshold,
    /// whole 64 KiB from the cache threshold (so that near sizes share cache entries).
    static func reservedBytes(_ byteCount: Int) -> Int {
        let bytes = max(byteCount, 1)
        if bytes >= hugePageThreshold { return (bytes + hugePageBytes - 1) / hugePageBytes * hugePageBytes }
        if bytes >= cacheThreshold { return (bytes + 0xFFFF) & ~0xFFFF }
        return bytes
    }

    /// Scratch memory for `capacity` values of `T` from the same pool as image buffers (for
    /// kernels' image-sized intermediate planes); not initialised. Release it with
    /// ``deallocate(_:capacity:)`` and the same capacity.
    public static func allocate<T>(_: T.Type, capacity: Int) -> UnsafeMutablePointer<T> {
        allocate(byteCount: max(capacity, 1) * MemoryLayout<T>.stride).bindMemory(to: T.self, capacity: max(capacity, 1))
    }

    /// Releases memory from ``allocate(_:capacity:)``.
    public static func deallocate<T>(_ pointer: UnsafeMutablePointer<T>, capacity: Int) {
        deallocate(UnsafeMutableRawPointer(pointer), byteCount: max(capacity, 1) * MemoryLayout<T>.stride)
    }

    /// Memory for `byteCount` bytes, at least 64-byte aligned, not initialised.
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let bytes = reservedBytes(byteCount)
        guard bytes >= cacheThreshold else {
            return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        }
        lock.lock()
        if let i = cached.lastIndex(where: { $0.bytes == bytes }) {
            let block = cached.remove(at: i)
            cachedBytes -= block.bytes
            lock.unlock()
            return block.pointer
        }
        lock.unlock()
        let alignment = bytes >= hugePageThreshold ? hugePageBytes : 4096
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, alignment, bytes) == 0, let pointer else {
            fatalError("out of memory allocating \(bytes) bytes of pixels")
        }
        #if os(Linux)
        if bytes >= hugePageThreshold { _ = madvise(pointer, bytes, MADV_HUGEPAGE) }
        #endif
        return pointer
    }

    /// Advises transparent huge pages for the whole 4 KiB pages inside a fresh buffer of
    /// `byteCount` bytes that another allocator made (a large Swift array, say), when it is
    /// at least 4 MiB; call it before the first write. NumPy does the same for its arrays.
    public static func adviseHugePages(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= hugePageThreshold else { return }
        let start = (Int(bitPattern: pointer) + 4095) & ~4095
        let end = (Int(bitPattern: pointer) + byteCount) & ~4095
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// Releases memory from ``allocate(byteCount:)`` given the same `byteCount`.
    static func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        let bytes = reservedBytes(byteCount)
        guard bytes >= cacheThreshold else {
            pointer.deallocate()
            return
        }
        var evicted: [UnsafeMutableRawPointer] = []
        lock.lock()
        if bytes <= cacheLimitBytes {
            cached.append((bytes, pointer))
            cachedBytes += bytes
            while cachedBytes > cacheLimitBytes || cached.count > cacheLimitBlocks {
                let oldest = cached.removeFirst()
                cachedBytes -= oldest.bytes
                evicted.append(oldest.pointer)
            }
        } else {
            evicted.append(pointer)
        }
        lock.unlock()
        for p in evicted { free(p) }
    }

    /// Returns every cached block to the system (for long-lived processes after a burst of
    /// large images). Buffers in use are not affected.
    public static func releaseCachedBlocks() {
        lock.lock()
        let blocks = cached
        cached.removeAll()
        cachedBytes = 0
        lock.unlock()
        for block in blocks { free(block.pointer) }
    }

    /// Bytes currently held by the cache of released blocks.
    public static var cachedByteCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return cachedBytes
    }
}
