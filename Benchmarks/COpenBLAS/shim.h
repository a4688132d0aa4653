#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
/* The three OpenBLAS entry points the benchmarks use, declared here instead of including <cblas.h>:
   GSL's gsl_cblas.h (module CGSL) defines the same CBLAS enums differently, and libgslcblas also
   exports cblas_dgemv, so the benchmark calls the Fortran symbol dgemv_, which only a full BLAS
   exports (bench-perf prints the library it resolved to). Used by the benchmarks only. */
void dgemv_(const char *trans, const int *m, const int *n, const double *alpha, const double *a,
            const int *lda, const double *x, const int *incx, const double *beta, double *y,
            const int *incy);
void openblas_set_num_threads(int num_threads);
char *openblas_get_config(void);
#endif
