import CVCore
import CVDetect
import CVFormats
import Foundation
import XCTest

/// The grid-pruned NMS against the obvious double loop (every candidate against every kept
/// box), on seeded sets the fixtures do not cover: huge and tiny boxes mixed, negative
/// coordinates, zero-size boxes, one spot piled with boxes, 1 and 2 threads irrelevant (serial).
final class NMSReferenceTests: XCTestCase {
    /// The slow, readable greedy NMS: stable sort, then each candidate against all kept boxes.
    static func referenceNMS(_ d: [Detection], classes: [Int]?, _ p: NMSParameters) -> [Int] {
        let isCV = p.overlap == .opencv
        func key(_ s: Double) -> Double { isCV ? Double(Float(s)) : s }
        var order = d.indices.filter { i in p.scoreThreshold.map { key(d[i].score) > key($0) } ?? true }
        order.sort { key(d[$0].score) > key(d[$1].score) || (key(d[$0].score) == key(d[$1].score) && $0 < $1) }
        if p.topK > 0 && p.topK < order.count { order = Array(order.prefix(p.topK)) }
        var kept: [Int] = []
        var t = p.iouThreshold
        var tf = Float(p.iouThreshold)
        for i in order {
            let keep = kept.allSatisfy { k in
                if let classes, classes[k] != classes[i] { return true }
                switch p.overlap {
                case .torchvision: return !(iou(d[i], d[k]) > t)
                case .opencv: return opencvOverlap(d[i], d[k]) <= tf
                case let .dlib(covered):
                    let inner = intersection(d[i], d[k])
                    if inner == 0 { return true }
                    return !(iou(d[i], d[k]) > t || inner / d[i].area > covered || inner / d[k].area > covered)
                }
            }
            guard keep else { continue }
            kept.append(i)
            if p.eta < 1 {
                if isCV { if tf > 0.5 { tf *= Float(p.eta) } } else if t > 0.5 { t *= p.eta }
            }
        }
        return kept
    }

    static func intersection(_ a: Detection, _ b: Detection) -> Double {
        max(0, min(a.maxX, b.maxX) - max(a.x, b.x)) * max(0, min(a.maxY, b.maxY) - max(a.y, b.y))
    }

    static func iou(_ a: Detection, _ b: Detection) -> Double {
        let inter = intersection(a, b)
        return inter / (a.area + b.area - inter)
    }

    /// OpenCV's overlap with a plain corner intersection (equal to OpenCV's width arithmetic
    /// on the integer and binary-fraction boxes drawn here).
    static func opencvOverlap(_ a: Detection, _ b: Detection) -> Float {
        if a.area + b.area <= Double.ulpOfOne { return 1 }
        let inter = (a.width <= 0 || a.height <= 0 || b.width <= 0 || b.height <= 0) ? 0 : intersection(a, b)
        return 1 - Float(1 - inter / (a.area + b.area - inter))
    }

    /// Boxes of very different sizes (1 to 2000 px), some at negative coordinates, some of zero
    /// width or height, a pile of 60 near-identical boxes, integer-valued (ties exercised).
    static func hostileSet(seed: UInt64, count: Int) -> (boxes: [Detection], classes: [Int]) {
        var rng = SplitMix64(seed: seed)
        var boxes: [Detection] = []
        var classes: [Int] = []
        for i in 0..<count {
            let scale = [2.0, 20, 80, 400, 2000][Int.random(in: 0..<5, using: &rng)]
            var w = (Double.random(in: 0.5...1.5, using: &rng) * scale).rounded()
            var h = (Double.random(in: 0.5...1.5, using: &rng) * scale).rounded()
            if i % 37 == 0 { w = 0 }
            if i % 53 == 0 { h = 0 }
            var x = Double.random(in: -300...1500, using: &rng).rounded(), y = Double.random(in: -300...1200, using: &rng).rounded()
            if i % 5 == 0 { x = 500 + Double(Int.random(in: -3...3, using: &rng)); y = 400 + Double(Int.random(in: -3...3, using: &rng)); w = 60; h = 120 }
            let score = Double(Int.random(in: 0...20, using: &rng)) / 20
            boxes.append(Detection(x: x, y: y, width: w, height: h, score: score))
            classes.append(Int.random(in: 0..<3, using: &rng))
        }
        return (boxes, classes)
    }

    func testGridPrunedNMSEqualsTheDoubleLoop() throws {
        let presets: [NMSParameters] = [
            .torchvision(iouThreshold: 0.5), .torchvision(iouThreshold: 0), .torchvision(iouThreshold: 1),
            .opencv(scoreThreshold: 0.1, iouThreshold: 0.45), .opencv(scoreThreshold: 0, iouThreshold: 0.8, eta: 0.7, topK: 200),
            .opencv(scoreThreshold: 0, iouThreshold: 0),
            .dlib(iouThreshold: 0.5, coveredThreshold: 0.6), .dlib(iouThreshold: 0.3),
        ]
        for seed in UInt64(1)...4 {
            let (boxes, classes) = Self.hostileSet(seed: seed, count: 700)
            for p in presets {
                for cls in [nil, classes] {
                    XCTAssertEqual(try nonMaximumSuppression(boxes, classes: cls, parameters: p), Self.referenceNMS(boxes, classes: cls, p),
                                   "seed \(seed), \(p), classes \(cls != nil)")
                }
            }
        }
    }

    /// Soft-NMS against a direct statement of OpenCV's loop (max_element each round, decay all).
    func testSoftNMSEqualsTheDirectLoop() throws {
        for seed in UInt64(5)...7 {
            let (boxes, _) = Self.hostileSet(seed: seed, count: 300)
            for p in [SoftNMSParameters.opencv(decay: .linear, scoreThreshold: 0.05, iouThreshold: 0.3),
                      .opencv(decay: .gaussian, scoreThreshold: 0.01, iouThreshold: 0.3, sigma: 0.4, topK: 120)] {
                let ours = try softNonMaximumSuppression(boxes, parameters: p)
                let ref = Self.referenceSoftNMS(boxes, p)
                XCTAssertEqual(ours.map(\.index), ref.map(\.index), "seed \(seed) \(p.decay)")
                XCTAssertEqual(ours.map(\.score), ref.map(\.score), "seed \(seed) \(p.decay)")
            }
        }
    }

    static func referenceSoftNMS(_ d: [Detection], _ p: SoftNMSParameters) -> [SoftNMSSelection] {
        var scores = d.map { Float($0.score) }
        var remaining = Array(d.indices)
        var out: [SoftNMSSelection] = []
        let limit = p.topK == 0 ? d.count : min(p.topK, d.count)
        while out.count < limit, !remaining.isEmpty {
            let best = remaining.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
            if scores[best] < Float(p.scoreThreshold) { break }
            out.append(SoftNMSSelection(index: best, score: Double(scores[best])))
            remaining.removeAll { $0 == best }
            for j in remaining where scores[j] >= Float(p.scoreThreshold) {
                let o = opencvOverlap(d[best], d[j])
                switch p.decay {
                case .linear: if o > Float(p.iouThreshold) { scores[j] *= 1 - o }
                case .gaussian: scores[j] *= Float(exp(Double(-(o * o) / Float(p.sigma))))
                }
            }
        }
        return out
    }

    /// The grid is what keeps 100,000 boxes from being quadratic: with every one of 100,000
    /// detector-sized boxes in a 4K frame inserted, a query visits a few dozen boxes, not 10⁵.
    func testGridQueriesVisitOnlyNearbyBoxes() throws {
        var rng = SplitMix64(seed: 99)
        let n = 100_000
        let boxes = (0..<n).map { _ in
            Detection(x: Double.random(in: 0...3800, using: &rng), y: Double.random(in: 0...2100, using: &rng),
                      width: Double.random(in: 8...64, using: &rng), height: Double.random(in: 16...128, using: &rng), score: 1)
        }
        let table = NMSBoxTable(boxes)
        let all = (0..<Int32(n)).map { $0 }
        var grid = all.withUnsafeBufferPointer { NMSGrid(boxes: table, candidates: $0) }
        for i in 0..<n { grid.insert(i) }
        var visits = 0, intersecting = 0
        for q in stride(from: 0, to: n, by: 1009) {
            var found = Set<Int>()
            grid.forEachNear(q) { k in visits += 1; found.insert(k); return true }
            // Nothing that intersects is missed.
            for k in 0..<n where Self.intersection(boxes[q], boxes[k]) > 0 {
                intersecting += 1
                XCTAssertTrue(found.contains(k), "box \(k) intersects \(q) but was not visited")
            }
        }
        let queries = (n + 1008) / 1009
        print("NMS grid: \(Double(visits) / Double(queries)) boxes visited per query, \(Double(intersecting) / Double(queries)) intersecting")
        XCTAssertLessThan(visits, queries * 400)
    }
}
