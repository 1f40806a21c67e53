// OpenBLAS's CBLAS and the reference LAPACKE, as Debian's libopenblas-dev / liblapacke-dev ship them.
#include <cblas.h>
#include <lapacke.h>

// Exported by OpenBLAS's pthreads server (not in its headers): stops and joins the worker
// threads; the next threaded BLAS call starts them again.
int blas_thread_shutdown_(void);
