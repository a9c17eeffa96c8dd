/* A shared library that is not a Vigil plugin: it has no entry symbol. */
int vigil_test_not_a_plugin(void) { return 42; }
