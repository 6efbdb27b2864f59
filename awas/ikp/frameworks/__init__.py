"""Framework definitions shipped with Awas (YAML, format awas-ikp-framework/1); a package so that
the files are installed with it."""
