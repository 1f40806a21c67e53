import CVFormats
import CVLearn
import CVTestSupport
import Foundation
import XCTest

/// Fixtures/learn/neighbours.json (Tools/fixtures_neighbours.py) and the tables it was made from.
enum NeighbourFixtures {
    nonisolated(unsafe) static var cached: [String: JSONValue]?
    static var reference: [String: JSONValue] {
        if let r = cached { return r }
        let data = try! Data(contentsOf: Fixtures.root.appendingPathComponent("neighbours.json"))
        guard case let .object(r) = try! JSONDecoder().decode(JSONValue.self, from: data) else { fatalError("neighbours.json") }
        cached = r
        return r
    }

    static func group(_ name: String) -> [String: JSONValue] {
        guard case let .object(g)? = reference[name] else { fatalError("no group \(name) in neighbours.json") }
        return g
    }

    typealias Split = (xtr: Matrix<Double>, ytr: [Int], xte: Matrix<Double>, yte: [Int])

    /// digits (1257 train / 540 test) with integer classes.
    static func digits() -> Split {
        let (xtr, ytr, xte, yte) = Fixtures.digitsSplit()
        return (xtr, ytr.map { Int($0)! }, xte, yte.map { Int($0)! })
    }

    /// blobs.csv (200 train / 100 test), classes in sorted label order as scikit-learn's.
    static func blobs() -> Split {
        let t = try! FeatureTable.read(path: Fixtures.path("blobs.csv"))
        let x = t.features.asDouble
        let enc = try! LabelEncoder(fitting: t.labels!)
        let y = try! enc.encode(t.labels!)
        return (x.selectingRows(0..<200), Array(y[0..<200]), x.selectingRows(200..<x.rows), Array(y[200...]))
    }

    static let fashionFolder = "/usr/share/datasets/fashion-mnist"

    /// The first 2,000 training and 500 test images of Fashion-MNIST as raw pixels, or a skip
    /// when the data set is not installed.
    static func fashion() throws -> Split {
        let dir = fashionFolder
        guard FileManager.default.fileExists(atPath: dir + "/train-images-idx3-ubyte.gz") else {
            throw XCTSkip("Fashion-MNIST is not installed under \(dir)")
        }
        func images(_ name: String, _ n: Int) throws -> Matrix<Double> {
            let idx = try IDX.readImages(path: "\(dir)/\(name)")
            let d = idx.height * idx.width
            return try Matrix(rows: n, columns: d, values: idx.pixels[0..<(n * d)].map { Double($0) })
        }
        func labels(_ name: String, _ n: Int) throws -> [Int] { try IDX.readLabels(path: "\(dir)/\(name)")[0..<n].map { Int($0) } }
        return (try images("train-images-idx3-ubyte.gz", 2000), try labels("train-labels-idx1-ubyte.gz", 2000),
                try images("t10k-images-idx3-ubyte.gz", 500), try labels("t10k-labels-idx1-ubyte.gz", 500))
    }

    static func split(_ name: String) throws -> Split {
        switch name {
        case "digits": return digits()
        case "blobs": return blobs()
        default: return try fashion()
        }
    }
}
