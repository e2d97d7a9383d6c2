#include <altcall.h>
#include <stdio.h>

const char *which_a(void);
const char *which_b(void);

int main(void)
{
	printf("before: %s %s\n", which_a(), which_b());
	altcall_set_feature(ALTCALL_SW_FEATURE(1), 1);
	printf("apply: %d\n", altcall_apply());
	printf("after: %s %s\n", which_a(), which_b());
	return 0;
}
