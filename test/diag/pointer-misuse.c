// alternative_call needs a function pointer at a fixed address.
// RUN: not %cc -O2 -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
// RUN: not %cc -O0 -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
#include <altcall.h>

struct ops { int (*fn)(int); int not_a_pointer; } ops, many[4];
__thread int (*tls_fn)(int);
int (*global_fn)(int);

int local_pointer(int (*fp)(int))
{
	int (*local)(int) = fp;
	// CHECK: pointer-misuse.c:[[@LINE+1]]:16: error: 'alternative_call' needs a function pointer at a fixed address: a global, a field of a global struct or an element of a global array at a constant index
	return alternative_call(local, 1);
}

int variable_index(int i)
{
	// CHECK: pointer-misuse.c:[[@LINE+1]]:16: error: 'alternative_call' needs a function pointer at a fixed address
	return alternative_call(many[i].fn, 1);
}

int tls_pointer(void)	/* not thread_local: a keyword in C23 */
{
	// CHECK: pointer-misuse.c:[[@LINE+1]]:16: error: 'alternative_call' cannot use the thread-local pointer 'tls_fn'
	return alternative_call(tls_fn, 1);
}

int (*init_fn)(int) __attribute__((section(".init.data")));

int init_memory(void)
{
	// CHECK: pointer-misuse.c:[[@LINE+1]]:16: error: 'alternative_call' pointer 'init_fn' is in init memory (section '.init.data'), which its trampoline could read after it is freed; keep it in data that lives as long as the code (e.g. '__ro_after_init')
	return alternative_call(init_fn, 1);
}

int (*const null_fn)(int) = 0;

int constant_not_a_function(void)
{
	// CHECK: pointer-misuse.c:[[@LINE+1]]:16: error: 'alternative_call' through a constant pointer that is not the address of a function
	return alternative_call(null_fn, 1);
}

int fine(void)
{
	return alternative_call(global_fn, 1) + alternative_call(many[3].fn, 2) +
	       alternative_call(ops.fn, 3);
}
