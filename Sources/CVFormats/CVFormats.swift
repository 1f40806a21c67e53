// CVFormats: array and table formats that carry no image types — NPY, IDX (MNIST), CSV and
// LIBSVM text, and the seeded random-number generator. Image I/O (CVIO) and learning (CVLearn)
// both build on it, so learning never has to import an image module to read a table.
