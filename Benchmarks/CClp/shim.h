#ifndef CCLP_SHIM_H
#define CCLP_SHIM_H
/* COIN-OR CLP's C interface (Debian: coinor-libclp-dev). Used by the benchmarks only, to compare
   CLP with GLPK on the Nash-equilibrium LP; the harness keeps GLPK. */
#include <coin/Clp_C_Interface.h>
#endif
