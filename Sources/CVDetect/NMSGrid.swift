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
    private var heads: [Int32]
    /// `next[i]`: the box after `i` in its cell's list (each box is in one cell).
    private var next: [Int32]

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
        next = [Int32](repeating: -1, count: boxes.count)
    }

    /// Adds box `i`.
    package mutating func insert(_ i: Int) {
        let side = max(boxes.width[i], boxes.height[i])
        var k = 0
        while k + 1 < levels.count && !(levels[k].cell > Self.reach * side) { k += 1 }
        let cx = column(boxes.x1[i], levels[k]), cy = row(boxes.y1[i], levels[k])
        let h = levels[k].headOffset + cy * levels[k].columns + cx
        next[i] = heads[h]
        heads[h] = Int32(i)
        levels[k].members.append(Int32(i))
    }

    /// Calls `body` with every inserted box that may intersect box `q`, each once, until
    /// `body` returns false. Returns false when stopped early.
    @inline(__always)
    @discardableResult
    package func forEachNear(_ q: Int, _ body: (Int) -> Bool) -> Bool {
        for level in levels where !level.members.isEmpty {
            let c0 = max(0, column(boxes.x1[q], level) - 1), c1 = column(boxes.x2[q], level)
            let r0 = max(0, row(boxes.y1[q], level) - 1), r1 = row(boxes.y2[q], level)
            if (c1 - c0 + 1) * (r1 - r0 + 1) > level.members.count {
                for m in level.members where !body(Int(m)) { return false }
                continue
            }
            for r in r0...r1 {
                for c in c0...c1 {
                    var m = heads[level.headOffset + r * level.columns + c]
                    while m >= 0 {
                        if !body(Int(m)) { return false }
                        m = next[Int(m)]
                    }
                }
            }
        }
        return true
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
