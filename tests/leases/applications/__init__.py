"""Tests of lease applications."""
