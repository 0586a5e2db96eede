/* The experimental parameters (ZSTD_c_useRowMatchFinder) are needed; their values come from the same libzstd
   package as the library we link, so they match it. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

/* Swift does not import the macro alias of an enum constant. */
static inline ZSTD_cParameter homer_zstd_c_useRowMatchFinder(void) { return ZSTD_c_useRowMatchFinder; }
