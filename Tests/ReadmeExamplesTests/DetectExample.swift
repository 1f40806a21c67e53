import ClassicCV

/// People in a photo with OpenCV's pedestrian detector, as cv2.HOGDescriptor.detectMultiScale finds them.
func findPeople(photo: String) throws -> [Detection] {
    let image = try ImageIO.read(path: photo).image.asUInt8      // gray or RGB
    var options = HOGDetectorParameters()                        // stride 8x8, padding 8x8, scale 1.05
    options.groupThreshold = 2                                   // a person needs 3 overlapping hits
    let detector = try HOGDetector(model: .people, parameters: options)
    let raw = try detector.rawHits(in: image)                    // every window hit of every level
    let people = detector.group(raw, imageWidth: image.width, imageHeight: image.height)
    return people.sorted { $0.score > $1.score }                 // boxes in pixels, best first
}
