import ArgumentParser
import ClassicCV
import Foundation

/// The picture of `cvtool predict --misclassified-grid`: wrongly predicted test images in a
/// grid, each captioned with its true label (black) and the prediction (red).
enum MisclassifiedGrid {
    /// Class display names: `spec` is a file with one name per line or a comma-separated list;
    /// name k belongs to the integer label k. Nil keeps the labels as they are.
    static func classNames(_ spec: String?) throws -> [String]? {
        guard let spec else { return nil }
        if FileManager.default.fileExists(atPath: spec) {
            return try FeatureTable.readLabels(path: spec)
        }
        return spec.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func display(_ label: String, _ names: [String]?) -> String {
        guard let names, let k = Int(label), k >= 0, k < names.count else { return label }
        return names[k]
    }

    /// Gray images of the rows: from an IDX image file, or from the table's image paths.
    static func loadImages(idx: String?, paths: [String]?, rows: [Int]) throws -> [(w: Int, h: Int, pixels: [UInt8])] {
        if let idx {
            let f = try IDX.readImages(path: idx)
            let n = f.width * f.height
            return try rows.map { i in
                guard i < f.count else { throw ValidationError("--images \(idx) has \(f.count) images; the table has more rows") }
                return (f.width, f.height, Array(f.pixels[i * n..<(i + 1) * n]))
            }
        }
        guard let paths else { throw ValidationError("--misclassified-grid needs --images IDX (the table has no image paths)") }
        return try rows.map { i in
            var img = try CommandIO.loadImage(paths[i]).image.asUInt8
            if img.channels >= 3 { img = img.droppingAlpha().grayscale() } else if img.channels == 2 { img = img.channel(0) }
            var px = [UInt8](repeating: 0, count: img.width * img.height)
            img.withUnsafePixels { p, stride in
                for y in 0..<img.height { for x in 0..<img.width { px[y * img.width + x] = p[y * stride + x] } }
            }
            return (img.width, img.height, px)
        }
    }

    /// Renders up to `limit` misclassified rows (the first ones, in table order).
    static func render(truth: [String], predicted: [String], images: String?, paths: [String]?,
                       names: [String]?, limit: Int, columns: Int) throws -> (picture: AnyImage, shown: Int, wrong: Int) {
        let wrong = truth.indices.filter { truth[$0] != predicted[$0] }
        let rows = Array(wrong.prefix(limit))
        guard !rows.isEmpty else {
            var c = Canvas(width: 240, height: 30)
            c.label("no misclassified images", x: 10, y: 11)
            return (c.image, 0, 0)
        }
        let imgs = try loadImages(idx: images, paths: paths, rows: rows)
        let maxW = imgs.map(\.w).max()!, maxH = imgs.map(\.h).max()!
        let scale = max(1, min(8, 72 / max(maxW, maxH)))
        let captions = rows.map { (display(truth[$0], names), display(predicted[$0], names)) }
        let textW = captions.map { max(BitmapFont.width($0.0), BitmapFont.width($0.1)) }.max()!
        let tileW = max(maxW * scale, textW), gap = 8
        let tileH = maxH * scale + 2 * BitmapFont.lineHeight + 4
        let cols = min(columns, rows.count), gridRows = (rows.count + cols - 1) / cols
        let header = 22
        var c = Canvas(width: cols * (tileW + gap) + gap, height: header + gridRows * (tileH + gap) + gap)
        let title = "\(wrong.count) of \(truth.count) misclassified; first \(rows.count) shown"
        c.label(title, x: gap, y: 4, color: (0, 0, 0))
        c.label("true", x: gap, y: 13, color: (0, 0, 0))
        c.label("predicted", x: gap + BitmapFont.width("true ") + 4, y: 13, color: (200, 0, 0))
        for (k, img) in imgs.enumerated() {
            let x = gap + (k % cols) * (tileW + gap), y = header + gap + (k / cols) * (tileH + gap)
            let ix = x + (tileW - img.w * scale) / 2
            c.blitGray(img.pixels, width: img.w, height: img.h, x: ix, y: y, scale: scale)
            c.frame(x: ix - 1, y: y - 1, w: img.w * scale + 2, h: img.h * scale + 2, color: (190, 190, 190))
            let ty = y + maxH * scale + 3
            c.label(captions[k].0, x: x + (tileW - BitmapFont.width(captions[k].0)) / 2, y: ty, color: (0, 0, 0))
            c.label(captions[k].1, x: x + (tileW - BitmapFont.width(captions[k].1)) / 2, y: ty + BitmapFont.lineHeight, color: (200, 0, 0))
        }
        return (c.image, rows.count, wrong.count)
    }
}
