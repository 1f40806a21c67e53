// The umbrella module: `import ClassicCV` brings in every public module.
@_exported import CVCore
@_exported import CVFormats
@_exported import CVIO
@_exported import CVFilters
@_exported import CVTransform
@_exported import CVFeatures
@_exported import CVLearn
@_exported import CVDetect
