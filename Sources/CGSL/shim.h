#ifndef CGSL_SHIM_H
#define CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_version.h>

/// The Mersenne Twister generator type (wraps the C global `gsl_rng_mt19937`,
/// which Swift 6 rejects as shared mutable state).
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }

/// The hybrid-scaled multiroot solver with Jacobian (wraps `gsl_multiroot_fdfsolver_hybridsj`).
static inline const gsl_multiroot_fdfsolver_type *cgsl_multiroot_hybridsj(void) { return gsl_multiroot_fdfsolver_hybridsj; }

/// The Newton multiroot solver with Jacobian (wraps `gsl_multiroot_fdfsolver_newton`).
static inline const gsl_multiroot_fdfsolver_type *cgsl_multiroot_newton(void) { return gsl_multiroot_fdfsolver_newton; }

/// The globally convergent Newton multiroot solver with Jacobian (wraps `gsl_multiroot_fdfsolver_gnewton`).
static inline const gsl_multiroot_fdfsolver_type *cgsl_multiroot_gnewton(void) { return gsl_multiroot_fdfsolver_gnewton; }

/// Turns GSL's aborting error handler off; status codes are returned instead.
static inline void cgsl_disable_abort(void) { gsl_set_error_handler_off(); }

/// The version of the GSL library linked at run time (wraps the C global `gsl_version`).
static inline const char *cgsl_version(void) { return gsl_version; }

#endif
