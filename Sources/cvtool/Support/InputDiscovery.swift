import ClassicCV
import Foundation

/// The images a command reads, one row each, in input order: image files, directories
/// (searched recursively) and IDX image files (every image one row, `FILE#index`), with the
/// labels that go with them and the inputs that could not be used.
struct ImageInputs {
    /// One row source.
    enum Item {
        case file(path: String, label: String?)
        case idx(set: Int, index: Int, label: String?)
    }

    /// The pixels of one IDX image file.
    struct IDXSet {
        let path: String
        let count: Int, width: Int, height: Int
        let pixels: [UInt8]
    }

    /// Extensions of the files a directory search picks up.
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "pgm", "ppm", "pnm", "npy"]

    private(set) var items: [Item] = []
    private(set) var idxSets: [IDXSet] = []
    /// One line per input that could not be used (missing, unreadable IDX).
    private(set) var problems: [String] = []

    /// Finds the rows of `inputs`.
    /// - Parameters:
    ///   - labelsFromDirs: label each file found under a directory by its first-level folder.
    ///   - strict: throw on the first missing or unreadable input instead of noting it.
    static func collect(_ inputs: [String], labelsFromDirs: Bool, strict: Bool) throws -> ImageInputs {
        var found = ImageInputs()
        for input in inputs {
            do {
                try found.add(input, labelsFromDirs: labelsFromDirs, strict: strict)
            } catch {
                if strict { throw error }
                found.problems.append("\(error)")
            }
        }
        return found
    }

    private mutating func add(_ input: String, labelsFromDirs: Bool, strict: Bool) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDir) else {
            throw CVError.io(path: input, reason: "no such file or directory")
        }
        if isDir.boolValue {
            let listing = Self.listImages(in: input)
            for (path, label) in listing.images { items.append(.file(path: path, label: labelsFromDirs ? label : nil)) }
            for path in listing.notRegular {
                let error = CVError.io(path: path, reason: "is not a regular file (a FIFO, device or socket)")
                if strict { throw error }
                problems.append("\(error)")
            }
        } else if IDX.isIDX(path: input) {
            let f = try IDX.readImages(path: input)
            idxSets.append(IDXSet(path: input, count: f.count, width: f.width, height: f.height, pixels: f.pixels))
            for i in 0..<f.count { items.append(.idx(set: idxSets.count - 1, index: i, label: nil)) }
        } else {
            items.append(.file(path: input, label: nil))
        }
    }


    /// Replaces every row's label by `list` (row i gets `list[i]`).
    /// - Throws: `CVError.invalidParameter` naming `source` when the counts differ.
    mutating func assignLabels(_ list: [String], from source: String) throws {
        guard list.count == items.count else {
            throw CVError.invalidParameter(name: source, reason: "has \(list.count) labels for \(items.count) rows")
        }
        for i in items.indices {
            switch items[i] {
            case .file(let p, _): items[i] = .file(path: p, label: list[i])
            case .idx(let s, let j, _): items[i] = .idx(set: s, index: j, label: list[i])
            }
        }
    }

    /// The row's name in tables and messages: the file path, or `FILE#index` for IDX rows.
    func name(_ row: Int) -> String {
        switch items[row] {
        case .file(let p, _): return p
        case .idx(let s, let i, _): return "\(idxSets[s].path)#\(i)"
        }
    }

    /// The row's label, if any.
    func label(_ row: Int) -> String? {
        switch items[row] { case .file(_, let l): return l; case .idx(_, _, let l): return l }
    }

    /// The row as a gray or colour `UInt8` image (alpha dropped, gray+alpha as gray),
    /// resized to `size` when given and different.
    func load(_ row: Int, resizedTo size: (width: Int, height: Int)?) throws -> Image<UInt8> {
        switch items[row] {
        case .file(let path, _):
            return try Self.rowImage(try CommandIO.loadImage(path).image, resizedTo: size)
        case .idx(let s, let i, _):
            let set = idxSets[s]
            let n = set.width * set.height
            return try Self.rowImage(.uint8(try Image(width: set.width, height: set.height, channels: 1, samples: Array(set.pixels[i * n..<(i + 1) * n]))), resizedTo: size)
        }
    }

    /// A decoded image as a row sees it: `UInt8`, alpha dropped, gray+alpha as gray, resized
    /// to `size` when given and different (also `cvtool hog --stream`'s records).
    static func rowImage(_ decoded: AnyImage, resizedTo size: (width: Int, height: Int)?) throws -> Image<UInt8> {
        let u8 = decoded.asUInt8
        let img = u8.channels == 2 ? u8.channel(0) : (u8.channels == 4 ? u8.droppingAlpha() : u8)
        guard let size, size.width != img.width || size.height != img.height else { return img }
        return try img.resized(to: .size(width: size.width, height: size.height))
    }

    /// The paths of the rows read from files (not IDX rows), for checking outputs against them.
    var filePaths: [String] {
        items.compactMap { if case .file(let path, _) = $0 { return path } else { return nil } }
    }

    /// Image files under `dir`, sorted by path, with their first-level folder name; and the
    /// entries with an image extension that are not regular files (after following symbolic
    /// links), which are never opened: a FIFO would block the read and a device never ends.
    static func listImages(in dir: String) -> (images: [(String, String?)], notRegular: [String]) {
        let root = URL(fileURLWithPath: dir)
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return ([], []) }
        var images: [(String, String?)] = [], notRegular: [String] = []
        let rootComponents = root.standardizedFileURL.pathComponents.count
        for case let url as URL in e where imageExtensions.contains(url.pathExtension.lowercased()) {
            var info = stat()
            guard stat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                if info.st_mode & S_IFMT != S_IFDIR { notRegular.append(url.path) }
                continue
            }
            let comps = url.standardizedFileURL.pathComponents
            let label = comps.count > rootComponents + 1 ? comps[rootComponents] : nil
            images.append((url.path, label))
        }
        return (images.sorted { $0.0 < $1.0 }, notRegular.sorted())
    }
}
