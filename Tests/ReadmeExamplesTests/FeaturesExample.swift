import ClassicCV

/// HOG descriptors of a photo with both presets.
func hogDescriptors(photo: String) throws -> (skimage: HOGFeatures, people: HOGFeatures) {
    let gray = try ImageIO.read(path: photo).image.asUInt8.grayscale()
    let hog = try HOG(.scikitImage(orientations: 9, pixelsPerCell: HOGSize(8, 8), cellsPerBlock: HOGSize(3, 3)))
    let skimage = try hog.descriptor(gray)                    // skimage.feature.hog(..., feature_vector=True)
    let window = try gray.resized(to: .size(width: 64, height: 128))
    let people = try HOG(.dalalTriggs).descriptor(window)     // cv2.HOGDescriptor().compute: 3780 values
    return (skimage, people)
}
