// OpenBLAS's CBLAS interface and its thread control.
#ifndef MARKETLAB_CBLAS_SHIM_H
#define MARKETLAB_CBLAS_SHIM_H
#include <cblas.h>
#endif
