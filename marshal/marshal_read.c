/* placeholder: not written yet */
typedef int lz_placeholder_marshal_read;
