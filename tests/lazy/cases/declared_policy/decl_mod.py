__lazy_modules__ = ["decl_listed", "decl_listed_from", "decl_pkg.sub", "decl_pkg2"]

import decl_listed                          # expect: lazy
import decl_unlisted                        # expect: eager
from decl_listed_from import LF             # expect: lazy
from decl_unlisted_from import UF           # expect: eager
import decl_pkg.sub                         # expect: lazy
import decl_pkg2.sub                        # expect: eager


def uses():
    return (decl_listed.VALUE, decl_unlisted.VALUE, LF, UF, decl_pkg.sub.VALUE, decl_pkg2.sub.VALUE)
