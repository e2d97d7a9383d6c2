#include <altcall.h>
struct ops { int (*a)(int, ...); } ops;
int f(int x) { return alternative_call(ops.a, x, 1.0) + 1; }
