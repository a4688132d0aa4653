#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <stdlib.h>
/* OpenBLAS (Debian: libopenblas-dev), the BLAS and LAPACK behind the harness's matrix–vector
   products (PreferenceMatrix.times), the dense LU solves of the π*_τ Newton solver and the
   minimum-norm least squares of SPPO's log-linear regression step.

   The Fortran entry points are declared here instead of including <cblas.h>/<lapacke.h>: GSL's
   gsl_cblas.h (module CGSL) defines the same CBLAS enums differently, and libgslcblas, which GSL
   links, also exports cblas_dgemv, so which library a cblas_* call reaches would depend on the link
   order. The Fortran symbols dgemv_, dgetrf_, dgetrs_ and dgelsd_ exist only in a full BLAS/LAPACK such as OpenBLAS.
   Swift calls the inline wrappers below (C system libraries wrap their entry points and globals in
   inline functions, as CGSL does). */

void dgemv_(const char *trans, const int *m, const int *n, const double *alpha, const double *a,
            const int *lda, const double *x, const int *incx, const double *beta, double *y,
            const int *incy);
void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
void dgetrs_(const char *trans, const int *n, const int *nrhs, const double *a, const int *lda,
             const int *ipiv, double *b, const int *ldb, int *info);
void dgelsd_(const int *m, const int *n, const int *nrhs, double *a, const int *lda, double *b,
             const int *ldb, double *s, const double *rcond, int *rank, double *work, const int *lwork,
             int *iwork, int *info);
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
/* Declared weak: only OpenBLAS's threaded builds (pthread, OpenMP) export it. */
int blas_thread_shutdown_(void) __attribute__((weak));
extern int blas_server_avail __attribute__((weak));

/// y = alpha · A x for a row-major m×n matrix A with row stride lda ≥ n (BLAS dgemv; A row-major is
/// Aᵀ column-major, hence the transposed call). y must not alias x.
static inline void copenblas_gemv_rowmajor(int m, int n, double alpha, const double *a, int lda,
                                           const double *x, double *y) {
    const char trans = 'T';
    const int one = 1;
    const double beta = 0.0;
    dgemv_(&trans, &n, &m, &alpha, a, &lda, x, &one, &beta, y, &one);
}

/// Solves A x = b in place for a row-major n×n matrix A by LU with partial pivoting (LAPACK dgetrf
/// and dgetrs): A row-major is Aᵀ column-major, so this factors Aᵀ = P L U and solves with
/// Aᵀᵀ = A ('T'). A is overwritten by the factors, b by x; ipiv has n entries. Returns LAPACK's
/// info: 0 on success, i > 0 when U(i, i) is exactly zero (A singular), −i for an invalid argument i.
static inline int copenblas_lu_solve_rowmajor(int n, double *a, int *ipiv, double *b) {
    int info = 0;
    dgetrf_(&n, &n, a, &n, ipiv, &info);
    if (info != 0) return info;
    const char trans = 'T';
    const int one = 1;
    dgetrs_(&trans, &n, &one, a, &n, ipiv, b, &n, &info);
    return info;
}

/// The minimum-norm solution of min ‖A x − b‖₂ for a column-major m×n matrix A (LAPACK dgelsd:
/// SVD by divide and conquer; singular values ≤ rcond·σ_max count as zero, rcond < 0 meaning
/// machine precision). A is destroyed; b (max(m, n) entries) holds b on entry and x in its first n
/// entries on return; s receives min(m, n) singular values; rank the effective rank. Returns
/// LAPACK's info: 0 on success, i > 0 when the SVD failed to converge, −i for an invalid argument
/// i, −1000 when the workspace could not be allocated.
static inline int copenblas_least_squares(int m, int n, double *a, double *b, double *s, double rcond, int *rank) {
    int info = 0;
    const int one = 1;
    const int lda = m > 0 ? m : 1;
    const int ldb = m > n ? m : (n > 0 ? n : 1);
    int lwork = -1;
    double query = 0;
    int iquery = 0;
    dgelsd_(&m, &n, &one, a, &lda, b, &ldb, s, &rcond, rank, &query, &lwork, &iquery, &info);
    if (info != 0) return info;
    lwork = (int)query + 1;
    int liwork = iquery > 1 ? iquery : 1;
    double *work = (double *)malloc(sizeof(double) * (size_t)lwork);
    int *iwork = (int *)malloc(sizeof(int) * (size_t)liwork);
    if (work == NULL || iwork == NULL) { free(work); free(iwork); return -1000; }
    dgelsd_(&m, &n, &one, a, &lda, b, &ldb, s, &rcond, rank, work, &lwork, iwork, &info);
    free(work);
    free(iwork);
    return info;
}

/// Sets the number of threads OpenBLAS uses for every later call (1: the calling thread only).
static inline void copenblas_set_threads(int threads) { openblas_set_num_threads(threads); }

/// Stops OpenBLAS's idle worker threads (threaded builds only; a no-op in a serial build). A
/// threaded OpenBLAS starts its pool when the library is loaded, and each worker spins on
/// sched_yield for about 2^28 processor ticks (~0.1 s) before it sleeps, so a process that keeps
/// to one thread pays ~0.1 s of a second core at start-up. A later call with more threads
/// (openblas_set_num_threads(k > 1)) starts the pool again.
static inline void copenblas_stop_idle_threads(void) {
    if (blas_thread_shutdown_ != NULL) (void)blas_thread_shutdown_();
}

/// 1 while OpenBLAS's worker pool is running, 0 when it is stopped, -1 for a build without one.
static inline int copenblas_worker_pool_running(void) {
    if (&blas_server_avail == NULL) return -1;
    return blas_server_avail != 0 ? 1 : 0;
}

/// The number of threads OpenBLAS currently uses.
static inline int copenblas_threads(void) { return openblas_get_num_threads(); }

/// The build configuration string of the linked OpenBLAS (version, kernel, threading).
static inline const char *copenblas_config(void) { return openblas_get_config(); }
#endif
