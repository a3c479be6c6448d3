"""A small application for the zipapp tests: packages, relative imports,
imports that can be deferred, and a namespace package."""
VERSION = "1.0"
