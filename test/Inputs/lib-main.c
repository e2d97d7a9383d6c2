#include <stdio.h>
const char *lib_which(void);
int lib_boot(void);
int main(void)
{
	printf("before: %s\n", lib_which());
	printf("apply: %d\n", lib_boot());
	printf("after: %s\n", lib_which());
	return 0;
}
