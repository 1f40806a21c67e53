import ClassicCV

/// HOG rows of some photos as an Arrow IPC file: pyarrow, pandas and Spark read it.
func writeArrowTable(photos: [String], arrow: String) throws -> Int {
    let hog = try HOG(.scikitImage)
    var values: [Float] = []
    for photo in photos {
        let gray = try ImageIO.read(path: photo).image.asUInt8.grayscale()
        values += try hog.descriptor(try gray.resized(to: .size(width: 64, height: 64))).values
    }
    let d = values.count / photos.count
    let schema = ArrowSchema([ArrowField("path", .utf8, nullable: false),
                              ArrowField("features", .float32List(size: d))])
    let rows = ArrowRecordBatch(rowCount: photos.count, columns: [
        .utf8(photos), .float32List(values: values, valid: Array(repeating: true, count: photos.count))])
    try FileIO.writeAtomically(try ArrowIPC.file(schema: schema, batches: [rows]), to: arrow)
    return d                                                      // pyarrow.ipc.open_file(arrow)
}
