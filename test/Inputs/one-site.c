#include <altcall.h>

void new_impl(int);
void old_impl(int);

void one_site(int x)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(7))
		new_impl(x);
	ALTERNATIVE_ELSE
		old_impl(x);
	ALTERNATIVE_END
	new_impl(0);
}
