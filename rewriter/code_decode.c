/* placeholder: not written yet */
typedef int lz_placeholder_code_decode;
