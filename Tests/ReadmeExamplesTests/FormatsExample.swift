import ClassicCV

/// Arrays and tables that NumPy, pandas and scikit-learn read back.
func exportArrays(photo: String, npy: String, table: String, libsvm: String) throws -> NPYArray {
    let gray = try ImageIO.read(path: photo).image.asUInt8.grayscale()
    try NPY.write(NPYArray(image: .uint8(gray)), to: npy)       // np.load(npy): uint8, shape (H, W)
    let array = try NPY.read(path: npy)                          // any dtype, v1–v3, either byte order
    let features = NPYArray(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
    let samples = try FeatureTable(features: .float(Matrix(rows: 2, columns: 3, values: features.toFloats())),
                                   labels: ["cat", "dog"])
    try samples.write(to: table)                                  // CSV with a header: label,f0,f1,f2
    try samples.write(to: libsvm)                                 // LIBSVM text, format from the extension
    return array
}
