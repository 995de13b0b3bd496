"""Documents: contract PDFs rendered from contracts/, stored with their hash, signed and verified.

This domain knows no lease: leases and sublets hand it a template and a context.
"""
