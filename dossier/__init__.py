"""Dossier: news reports in many languages turned into a sourced case database."""

__version__ = "0.1.0"
