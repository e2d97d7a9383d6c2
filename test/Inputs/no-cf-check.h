/* The control of ibt-endbr.test: no cf_check mark on the runtime. */
#define __cf_check__ __unused__
