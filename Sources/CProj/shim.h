#ifndef CPROJ_SHIM_H
#define CPROJ_SHIM_H
// PROJ's C API (libproj), for turning projected coordinates into WGS84 latitude and longitude.
// PROJ finds its database proj.db (Debian: proj-data) in PROJ_DATA, else where it was installed.
#include <proj.h>
#endif
