import Foundation

// Scratch memory of the HOG engine, named per stage. A `HOGScratch` owns one set of every
// stage's buffers; calls (and each parallel stripe) take a set from `HOGScratchPool` and give
// it back, so repeated calls reuse warm pages instead of faulting in fresh ones.

/// One growable buffer of `T`, reused across calls; contents are undefined after growing.
final class HOGBuffer<T> {
    private var storage: UnsafeMutablePointer<T>
    private(set) var capacity: Int

    init() {
        capacity = 16
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// At least `count` elements (at least 1).
    func reserve(_ count: Int) -> UnsafeMutablePointer<T> {
        if capacity < count {
            storage.deallocate()
            capacity = count + 64
            storage = .allocate(capacity: capacity)
        }
        return storage
    }

    var bytesHeld: Int { capacity * MemoryLayout<T>.stride }
}

/// Step 1: the image as Float planes.
struct HOGSourceScratch {
    let planes = HOGBuffer<Float>()
    var bytesHeld: Int { planes.bytesHeld }
}

/// Step 2 for one pixel row: gradients and the bookkeeping of the bin decision.
struct HOGGradientScratch {
    /// `gx`, `gy` and six channel rows (multichannel selection), `8 · count` Floats.
    let rows = HOGBuffer<Float>()
    /// Per-pixel flags of near-edge bins, or the Int32 table indices of integer gradients:
    /// `4 · count` bytes.
    let flags = HOGBuffer<UInt8>()
    /// Three framed source rows of up to 3 channels, `9 · (count + 2)` Floats, and what each
    /// slot holds (see ``HOGFramedRows``).
    let framedRing = HOGBuffer<Float>()
    /// Starts as "holds nothing" (id −1): uninitialised tags could name a live source's row.
    let framedTags: HOGBuffer<Int> = {
        let tags = HOGBuffer<Int>()
        tags.reserve(HOGFramedRows.tagCount).initialize(repeating: -1, count: HOGFramedRows.tagCount)
        return tags
    }()
    var bytesHeld: Int { rows.bytesHeld + flags.bytesHeld + framedRing.bytesHeld + framedTags.bytesHeld }

    /// The row buffers for `count` pixels.
    func row(count: Int) -> HOGGradientRowBuffers {
        let n = max(1, count)
        let r = rows.reserve(8 * n)
        return HOGGradientRowBuffers(gx: r, gy: r + count, channels: r + 2 * count, flags: flags.reserve(4 * n),
                                     framedRing: framedRing.reserve(9 * (n + 2)),
                                     framedTags: framedTags.reserve(HOGFramedRows.tagCount))
    }
}

/// The buffers ``HOGGradientScratch/row(count:)`` hands out.
struct HOGGradientRowBuffers {
    let gx: UnsafeMutablePointer<Float>
    let gy: UnsafeMutablePointer<Float>
    /// Six rows of `count` Floats for the per-channel gradients.
    let channels: UnsafeMutablePointer<Float>
    let flags: UnsafeMutablePointer<UInt8>
    let framedRing: UnsafeMutablePointer<Float>
    let framedTags: UnsafeMutablePointer<Int>
}

/// Step 2's output for one pixel row: the votes (see ``HOGRowVotes``).
struct HOGVoteScratch {
    let bins0 = HOGBuffer<UInt8>(), bins1 = HOGBuffer<UInt8>()
    let weights0 = HOGBuffer<Float>(), weights1 = HOGBuffer<Float>()
    var bytesHeld: Int { bins0.bytesHeld + bins1.bytesHeld + weights0.bytesHeld + weights1.bytesHeld }

    /// Row buffers of `count` votes.
    func row(count: Int) -> HOGRowVotes {
        let n = max(1, count)
        return HOGRowVotes(b0: bins0.reserve(n), b1: bins1.reserve(n), m0: weights0.reserve(n), m1: weights1.reserve(n))
    }
}

/// Step 3a: cell histograms and the per-column tables that route votes into them.
struct HOGCellScratch {
    /// `(cellsY, cellsX, orientations)` histograms.
    let histograms = HOGBuffer<Float>()
    /// Column → offset of the column's cell inside a histogram row.
    let columnOffsets = HOGBuffer<Int32>()
    /// Bilinear spatial interpolation: per column the two nearest cells and their weights.
    let columnCells0 = HOGBuffer<Int32>(), columnCells1 = HOGBuffer<Int32>()
    let columnWeights0 = HOGBuffer<Float>(), columnWeights1 = HOGBuffer<Float>()
    var bytesHeld: Int {
        histograms.bytesHeld + columnOffsets.bytesHeld + columnCells0.bytesHeld + columnCells1.bytesHeld
            + columnWeights0.bytesHeld + columnWeights1.bytesHeld
    }
}

/// Steps 3b–5: Gaussian-weighted row sums and the blocks of a dense scan.
struct HOGBlockScratch {
    /// The ring of `bh` rows of horizontal block sums (Gaussian weighting).
    let rowSumRing = HOGBuffer<Float>()
    /// Every normalized block of a dense scan's image grid.
    let imageBlocks = HOGBuffer<Float>()
    var bytesHeld: Int { rowSumRing.bytesHeld + imageBlocks.bytesHeld }
}

/// One set of every stage's scratch buffers, reused across calls through ``HOGScratchPool``.
final class HOGScratch {
    let source = HOGSourceScratch()
    let gradients = HOGGradientScratch()
    let votes = HOGVoteScratch()
    let cells = HOGCellScratch()
    let blocks = HOGBlockScratch()

    var bytesHeld: Int {
        source.bytesHeld + gradients.bytesHeld + votes.bytesHeld + cells.bytesHeld + blocks.bytesHeld
    }
}

/// A process-wide pool of ``HOGScratch`` values. Each call (and each parallel stripe) takes one
/// and gives it back. The pool keeps at most `maxPooledBytes` in total (64 MiB: a 640×480
/// colour image needs about 4 MiB per call); scratch that would exceed it is freed instead.
enum HOGScratchPool {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var spare: [HOGScratch] = []
    nonisolated(unsafe) private static var pooledBytes = 0
    static let maxPooledBytes = 64 << 20

    static func with<R>(_ body: (HOGScratch) throws -> R) rethrows -> R {
        lock.lock()
        let s = spare.popLast()
        if let s { pooledBytes -= s.bytesHeld }
        lock.unlock()
        let scratch = s ?? HOGScratch()
        defer {
            lock.lock()
            let held = scratch.bytesHeld
            if pooledBytes + held <= maxPooledBytes {
                spare.append(scratch)
                pooledBytes += held
            }
            lock.unlock()
        }
        return try body(scratch)
    }
}
