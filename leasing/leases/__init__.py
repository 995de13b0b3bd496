"""Leases: applications for a building, lease terms, the contract, signing and the lease's life."""
