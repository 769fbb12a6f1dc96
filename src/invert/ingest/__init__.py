"""Ingestion: source files in, canonical tables with provenance and quarantine out."""
