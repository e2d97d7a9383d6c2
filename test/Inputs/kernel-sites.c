#include <altcall.h>

#ifdef __x86_64__
#define CPU_FEATURE ALTCALL_CPU_ERMS
#else
#define CPU_FEATURE ALTCALL_CPU_ATOMICS
#endif

void memcpy_fast(void *, const void *, unsigned long);
void memcpy_generic(void *, const void *, unsigned long);
int csum_fast(const void *, int);
int csum_slow(const void *, int);

void copy_page(void *d, const void *s)
{
	ALTERNATIVE_IF(CPU_FEATURE)
		memcpy_fast(d, s, 4096);
	ALTERNATIVE_ELSE
		memcpy_generic(d, s, 4096);
	ALTERNATIVE_END
}

int csum(const void *p, int n)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(2))
		return csum_fast(p, n);
	ALTERNATIVE_ELSE
		return csum_slow(p, n);
	ALTERNATIVE_END
}
