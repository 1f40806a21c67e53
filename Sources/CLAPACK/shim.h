// OpenBLAS's CBLAS and the reference LAPACKE, as Debian's libopenblas-dev / liblapacke-dev ship them.
#include <cblas.h>
#include <lapacke.h>
