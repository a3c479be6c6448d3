/* placeholder: not written yet */
typedef int lz_placeholder_lines_lnotab;
