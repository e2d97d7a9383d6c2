/* A library dlopen()ed after the seal: it must get the sealed state. */
#include "sites.h"

__attribute__((visibility("default"))) void lib_arms(char out[5])
{
	arms(out);
}
