import Foundation

/// The spatial index that keeps NMS from being quadratic: a stack of uniform grids whose
/// cells double in size from level to level. A box lives in exactly one cell — the cell of
/// its top-left corner, on the finest level whose cells are longer than its longer side —
/// so it reaches at most one cell further right and down, and a query for the boxes that
/// intersect a box visits, on each level, the cells its corners fall in plus one row and
/// column before them. A query touching more cells on a level than that level holds boxes
/// scans the level's list instead, so a huge box costs at most the number of boxes.
///
/// Only a filter: whatever it returns still goes through the exact overlap test, and every
/// box that intersects the query with positive area is returned (once).
package struct NMSGrid {
    private struct Level {
        var cell: Double
        var inverse: Double
        var columns: Int
        var rows: Int
        var headOffset: Int
        var members: [Int32] = []
    }

    /// A box goes to a level whose cells exceed its side by this factor, so that rounding in
    /// the cell arithmetic can never put its far edge two cells away from its corner.
    private static let reach = 1 + 1e-9

    private let boxes: NMSBoxTable
    private let originX: Double
    private let originY: Double
    private let base: Double
    private var levels: [Level] = []
    /// Per cell, its most recent block (-1: empty). A cell's boxes are stored in blocks of
    /// `blockSize` slots chained newest first, so walking a cell reads its boxes' corners
    /// contiguously: the walk is memory-bound, and a list of single nodes scattered in
    /// insertion order cost a cache miss per box (docs/performance.md).
    private var heads: [Int32]
    /// The corners of the box in each slot (`block * blockSize + k`).
    private var slotCorners: [SIMD4<Double>] = []
    /// The box in each slot.
    private var slotBoxes: [Int32] = []
    /// Per block: slots used, and the older block of the same cell (-1: none).
    private var blockUsed: [Int32] = []
    private var blockNext: [Int32] = []
    /// The slot of each inserted box (-1: not inserted).
    private var slotOf: [Int32]
    private static let blockSize = 8

    /// An empty grid sized for the boxes `candidates` of `boxes`.
    package init(boxes: NMSBoxTable, candidates: UnsafeBufferPointer<Int32>) {
        self.boxes = boxes
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        var maxSide = 0.0
        for c in candidates {
            let i = Int(c)
            minX = min(minX, boxes.x1[i]); minY = min(minY, boxes.y1[i])
            maxX = max(maxX, boxes.x2[i]); maxY = max(maxY, boxes.y2[i])
            maxSide = max(maxSide, boxes.width[i], boxes.height[i])
        }
        if candidates.isEmpty { minX = 0; minY = 0; maxX = 0; maxY = 0 }
        originX = minX
        originY = minY
        let extent = max(maxX - minX, maxY - minY)
        // A typical box's size, but never so small that the finest level has more than about
        // four cells per box.
        let n = Double(max(candidates.count, 1))
        base = max(Self.sampledMedianSide(boxes, candidates), extent / (2 * n.squareRoot()), max(extent, 1) * 1e-9)
        var offset = 0
        var cell = base
        repeat {
            let cols = Int((maxX - minX) / cell) + 1, rows = Int((maxY - minY) / cell) + 1
            levels.append(Level(cell: cell, inverse: 1 / cell, columns: cols, rows: rows, headOffset: offset))
            offset += cols * rows
            cell *= 2
        } while !(levels.last!.cell > Self.reach * maxSide) && levels.count < 64
        heads = [Int32](repeating: -1, count: offset)
        slotOf = [Int32](repeating: -1, count: boxes.count)
    }

    /// Adds box `i`.
    package mutating func insert(_ i: Int) {
        let side = max(boxes.width[i], boxes.height[i])
        var k = 0
        while k + 1 < levels.count && !(levels[k].cell > Self.reach * side) { k += 1 }
        let cx = column(boxes.x1[i], levels[k]), cy = row(boxes.y1[i], levels[k])
        let h = levels[k].headOffset + cy * levels[k].columns + cx
        var b = Int(heads[h])
        if b < 0 || blockUsed[b] == Self.blockSize {
            blockNext.append(Int32(b))
            blockUsed.append(0)
            slotCorners.append(contentsOf: repeatElement(SIMD4<Double>(), count: Self.blockSize))
            slotBoxes.append(contentsOf: repeatElement(-1, count: Self.blockSize))
            b = blockUsed.count - 1
            heads[h] = Int32(b)
        }
        let slot = b * Self.blockSize + Int(blockUsed[b])
        blockUsed[b] += 1
        slotCorners[slot] = boxes.corners[i]
        slotBoxes[slot] = Int32(i)
        slotOf[i] = Int32(slot)
        levels[k].members.append(Int32(slot))
    }

    /// Takes box `i` out: queries no longer return it.
    package mutating func remove(_ i: Int) {
        let slot = Int(slotOf[i])
        guard slot >= 0 else { return }
        // Corners that every query's "apart" test rejects.
        slotCorners[slot] = SIMD4(.infinity, .infinity, -.infinity, -.infinity)
        slotOf[i] = -1
    }

    /// Calls `body` with every inserted box that intersects or touches box `q`, each once,
    /// until `body` returns false. Returns false when stopped early.
    @inline(__always)
    @discardableResult
    package func forEachNear(_ q: Int, _ body: (Int) -> Bool) -> Bool {
        let qc = boxes.corners[q]
        return slotCorners.withUnsafeBufferPointer { corners in
            // Boxes strictly apart on either axis cannot overlap; testing that on the stored
            // corners spares the overlap test for most of what a query visits.
            @inline(__always) func visit(_ slot: Int) -> Bool {
                let k = corners[slot]
                if k.x > qc.z || k.z < qc.x || k.y > qc.w || k.w < qc.y { return true }
                return body(Int(slotBoxes[slot]))
            }
            for level in levels where !level.members.isEmpty {
                let c0 = max(0, column(qc.x, level) - 1), c1 = column(qc.z, level)
                let r0 = max(0, row(qc.y, level) - 1), r1 = row(qc.w, level)
                if (c1 - c0 + 1) * (r1 - r0 + 1) > level.members.count {
                    for slot in level.members where !visit(Int(slot)) { return false }
                    continue
                }
                for r in r0...r1 {
                    for c in c0...c1 {
                        var b = Int(heads[level.headOffset + r * level.columns + c])
                        while b >= 0 {
                            let first = b * Self.blockSize
                            for slot in first..<first + Int(blockUsed[b]) where !visit(slot) { return false }
                            b = Int(blockNext[b])
                        }
                    }
                }
            }
            return true
        }
    }

    @inline(__always)
    private func column(_ x: Double, _ level: Level) -> Int {
        min(level.columns - 1, max(0, Int(((x - originX) * level.inverse).rounded(.down))))
    }

    @inline(__always)
    private func row(_ y: Double, _ level: Level) -> Int {
        min(level.rows - 1, max(0, Int(((y - originY) * level.inverse).rounded(.down))))
    }

    /// The median longer side of up to 1024 evenly spaced candidates (a sort of all of them
    /// would cost more than the suppression).
    private static func sampledMedianSide(_ boxes: NMSBoxTable, _ candidates: UnsafeBufferPointer<Int32>) -> Double {
        guard !candidates.isEmpty else { return 0 }
        let step = max(1, candidates.count / 1024)
        var sides: [Double] = []
        sides.reserveCapacity(1024)
        var j = 0
        while j < candidates.count {
            let i = Int(candidates[j])
            sides.append(max(boxes.width[i], boxes.height[i]))
            j += step
        }
        sides.sort()
        return sides[sides.count / 2]
    }
}
